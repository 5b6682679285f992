/** @module Golden tests: every recorded fixture -> rows -> Parquet -> read back with hyparquet and DuckDB. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExtractUnit, RawFolder } from '@spotify-lake/schemas'
import { isListType, LAKE_TABLE_NAMES, type LakeColumn, lakeTable, scalarOf } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTableParquet } from '../src/load/parquet.ts'
import { encodeStagedTable, stageSummaryOf } from '../src/load/stage.ts'
import { playlistIdOfHref } from '../src/normalize/classify.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import golden from './fixtures/golden.json' with { type: 'json' }
import {
  DT,
  duckDbRead,
  envelope,
  FETCHED_AT,
  gzipJson,
  RUN_ID,
  readParquet,
  recordedNames,
  recordedText,
} from './support/fixtures.ts'

/** What DuckDB must call each neutral type: written out here, not derived, so a wrong mapping fails. */
const DUCKDB_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
}

function duckDbType(column: LakeColumn): string {
  const scalar = DUCKDB_TYPES[scalarOf(column.type)]!
  return isListType(column.type) ? `${scalar}[]` : scalar
}

/** One comparable value per cell: instants and int64 as numbers, the rest as JSON has them. */
function comparable(column: LakeColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (column.type === 'timestamp') return value instanceof Date ? value.getTime() : Number(value)
  if (column.type === 'int64') return Number(value)
  return value
}

function comparableRows(columns: readonly LakeColumn[], rows: readonly Record<string, unknown>[]) {
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, comparable(c, row[c.name])])))
}

/** Per fixture and table: [rows, rejected, in-object duplicates], and rejects per reason. */
type Golden = Record<
  string,
  { tables: Record<string, [number, number, number]>; rejects: Record<string, number> }
>

/** How the extractor would have fetched each fixture: endpoint template, raw source and unit. */
function asRaw(
  name: string,
  body: Record<string, unknown>,
): { endpoint: string; source: RawFolder; unit: ExtractUnit } {
  const kind = name.split('--')[0]!
  const playlistId =
    (typeof body.id === 'string' ? body.id : null) ??
    playlistIdOfHref(body.href as string | undefined) ??
    'unknown'
  const playlist = { type: 'playlist', playlistId, offset: 0, part: 0 } as const
  const batch = (type: 'tracks' | 'albums' | 'artists'): ExtractUnit => ({ type, ids: ['fixture'], batch: 0 })
  switch (kind) {
    case 'playlist':
    case 'playlist-fields':
      return { endpoint: '/playlists/{id}', source: 'playlists', unit: playlist }
    case 'playlist-items':
      return { endpoint: '/playlists/{id}/items', source: 'playlists', unit: playlist }
    case 'track':
      return { endpoint: '/tracks/{id}', source: 'tracks', unit: batch('tracks') }
    case 'several-tracks':
      return { endpoint: '/tracks', source: 'tracks', unit: batch('tracks') }
    case 'album':
      return { endpoint: '/albums/{id}', source: 'albums', unit: batch('albums') }
    case 'several-albums':
      return { endpoint: '/albums', source: 'albums', unit: batch('albums') }
    case 'artist':
      return { endpoint: '/artists/{id}', source: 'artists', unit: batch('artists') }
    case 'several-artists':
      return { endpoint: '/artists', source: 'artists', unit: batch('artists') }
  }
  throw new Error(`no endpoint for fixture ${name}`)
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transformer-golden-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe.each(recordedNames())('%s', (name) => {
  it('yields the golden rows, rejects and duplicates per table; every seen record is one of them', async () => {
    const { output } = await transformRaw({
      bytes: Buffer.from(recordedText(name)),
      name,
      extractedAt: FETCHED_AT,
    })
    const summary = stageSummaryOf(output)
    const tables = Object.fromEntries(
      LAKE_TABLE_NAMES.map((t) => [
        t,
        [summary.tables[t].rows, summary.tables[t].rejected, output[t].duplicates],
      ]),
    )
    expect({ tables, rejects: summary.rejects }).toEqual((golden as unknown as Golden)[name])
    for (const t of LAKE_TABLE_NAMES) {
      expect(output[t].seen).toBe(output[t].rows.length + output[t].rejects.length + output[t].duplicates)
    }
  })

  it('gives the same rows and rejects inside a raw object (gzip envelope, as the extractor writes it)', async () => {
    const text = recordedText(name)
    const bare = await transformRaw({ bytes: Buffer.from(text), name, extractedAt: FETCHED_AT })
    const { endpoint, source, unit } = asRaw(name, JSON.parse(text))
    const key = `raw/${source}/dt=${DT}/${RUN_ID}/fixture.json.gz`
    const env = envelope({ source, unit, responses: [{ endpoint, body: text }] })
    const raw = await transformRaw({
      bytes: await gzipJson(env),
      name: key,
      expect: { runId: RUN_ID, dt: DT, source },
    })
    for (const t of LAKE_TABLE_NAMES) {
      // Lineage differs on purpose (a bare response has no run); everything else is the same.
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ _run_id, ...rest }) => rest)
      expect(strip(raw.output[t].rows)).toEqual(strip(bare.output[t].rows))
      // Same reasons at the same places; details may say more in a raw object (it knows its unit).
      const where = (rejects: { reason: string; path: string }[]) =>
        rejects.map((r) => [r.reason, r.path.replace(/^(\$|responses\[0\])/, '')])
      expect(where(raw.output[t].rejects)).toEqual(where(bare.output[t].rejects))
    }
  })

  it('round-trips each table through Parquet: same rows in hyparquet and DuckDB, declared types', async () => {
    const { output } = await transformRaw({
      bytes: Buffer.from(recordedText(name)),
      name,
      extractedAt: FETCHED_AT,
    })
    for (const t of LAKE_TABLE_NAMES) {
      const { rows } = output[t]
      if (rows.length === 0) continue
      const table = lakeTable(t)
      const bytes = writeTableParquet({ table, rows, rowGroupSize: 7 })
      const expected = comparableRows(table.columns, rows)
      expect(comparableRows(table.columns, await readParquet(bytes))).toEqual(expected)

      const path = join(dir, `${name}.${t}.parquet`)
      await writeFile(path, bytes)
      const instants = table.columns.filter((c) => c.type === 'timestamp').map((c) => c.name)
      const duck = await duckDbRead(path, { epochMs: instants })
      expect(duck.types).toEqual(Object.fromEntries(table.columns.map((c) => [c.name, duckDbType(c)])))
      const duckRows = comparableRows(table.columns, duck.rows)
      expect(duckRows).toEqual(expected)
    }
  })

  it('round-trips each table through its staging file (uncompressed, PLAIN where named): same rows in hyparquet and DuckDB', async () => {
    const { output } = await transformRaw({
      bytes: Buffer.from(recordedText(name)),
      name,
      extractedAt: FETCHED_AT,
    })
    for (const t of LAKE_TABLE_NAMES) {
      const { parquet } = await encodeStagedTable({ table: t, output: output[t] })
      if (!parquet) continue
      const table = lakeTable(t)
      const expected = comparableRows(table.columns, output[t].rows)
      expect(comparableRows(table.columns, await readParquet(parquet))).toEqual(expected)
      const path = join(dir, `${name}.${t}.staged.parquet`)
      await writeFile(path, parquet)
      const instants = table.columns.filter((c) => c.type === 'timestamp').map((c) => c.name)
      const duck = await duckDbRead(path, { epochMs: instants })
      expect(comparableRows(table.columns, duck.rows)).toEqual(expected)
    }
  })
})
