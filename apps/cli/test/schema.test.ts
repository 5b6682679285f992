/** @module `lake schema`: each format prints the derivation of the declarations; bad input exits 2. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import {
  catalogTables,
  lakeTables,
  lakeViews,
  toAthenaDdl,
  toDuckDbDdl,
  toGlueColumns,
  toParquetColumnData,
  toParquetSchema,
  tracksTable,
} from '@spotify-lake/schemas'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { describe, expect, it } from 'vitest'
import { renderSchema, runLake } from '../src/index.ts'
import { captureIo } from './support/capture.ts'

async function lake(...argv: string[]) {
  const io = captureIo()
  const code = await runLake({ argv, io })
  return { code, out: io.out(), err: io.err() }
}

describe('lake schema', () => {
  it('prints Athena DDL for every table, one statement each, located under the lake root', async () => {
    const { code, out } = await lake(
      'schema',
      '--format',
      'athena',
      '--location',
      's3://bucket/lake/',
      '--database',
      'db',
    )
    expect(code).toBe(0)
    const statements = out.trimEnd().split(';\n\n')
    expect(statements).toHaveLength(catalogTables.length + lakeViews.length)
    catalogTables.forEach((table, i) => {
      expect(statements[i]!.replace(/;$/, '')).toBe(
        toAthenaDdl(table, { database: 'db', location: `s3://bucket/lake/tables/${table.name}/` }),
      )
    })
    // Then the views the insights read, in the order they depend on each other.
    expect(statements.slice(catalogTables.length).map((s) => /VIEW "(\w+)"/.exec(s)?.[1])).toEqual(
      lakeViews.map((v) => v.name),
    )
  })

  it('prints the Glue columns of one table as JSON, with parameters when given a location', async () => {
    const bare = await lake('schema', '--format', 'glue', '--table', 'tracks')
    expect(bare.code).toBe(0)
    const [table] = JSON.parse(bare.out)
    expect(table).toMatchObject({
      database: 'spotify_lake',
      name: 'tracks',
      partitionKeys: [{ name: 'dt', type: 'string' }],
    })
    expect(table.columns).toEqual(toGlueColumns(tracksTable))
    expect(table.parameters).toBeUndefined()
    const located = JSON.parse(
      (await lake('schema', '--format=glue', '--table=tracks', '--location=s3://b')).out,
    )
    expect(located[0].parameters['storage.location.template']).toBe(`s3://b/tables/tracks/dt=\${dt}/`)
  })

  it('prints the Parquet schema elements as JSON', async () => {
    const { code, out } = await lake('schema', '--format', 'parquet', '--table', 'albums')
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual([{ name: 'albums', schema: toParquetSchema(lakeTables[3]) }])
  })

  it('prints DuckDB DDL whose view works over a local lake folder', async () => {
    expect(renderSchema({ format: 'duckdb', table: 'tracks' })).toBe(`${toDuckDbDdl(tracksTable)};\n`)
    const root = await mkdtemp(join(tmpdir(), 'lake-cli-'))
    try {
      const folder = join(root, 'tables', 'tracks', 'dt=2026-11-21')
      await mkdir(folder, { recursive: true })
      const row = {
        track_id: 't1',
        name: 'N',
        uri: 'spotify:track:t1',
        duration_ms: 1,
        explicit: false,
        isrc: null,
        album_id: 'a',
        album_name: 'A',
        disc_number: 1,
        track_number: 1,
        artist_ids: ['x'],
        artist_names: ['X'],
        is_playable: null,
        popularity: null,
        _run_id: 'r1',
        _extracted_at: new Date('2026-11-21T00:00:00Z'),
      }
      const buffer = parquetWriteBuffer({
        columnData: toParquetColumnData(tracksTable, [tracksTable.rowSchema.parse(row)]),
        schema: toParquetSchema(tracksTable),
      })
      await writeFile(join(folder, 'r1.parquet'), new Uint8Array(buffer))
      const { code, out } = await lake(
        'schema',
        '--format',
        'duckdb',
        '--table',
        'tracks',
        '--location',
        root,
      )
      expect(code).toBe(0)
      const instance = await DuckDBInstance.create(':memory:')
      const connection = await instance.connect()
      try {
        await connection.run(out)
        const rows = (
          await connection.runAndReadAll('SELECT track_id, artist_ids, dt FROM tracks')
        ).getRowObjectsJS()
        expect(rows).toEqual([{ track_id: 't1', artist_ids: ['x'], dt: '2026-11-21' }])
      } finally {
        connection.closeSync()
        instance.closeSync()
      }
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it.each([
    [['--format', 'yaml'], /unknown format "yaml"; valid formats: athena, glue, duckdb, parquet/],
    [
      ['--format', 'glue', '--table', 'songs'],
      /unknown table "songs"; valid tables: playlists, playlist_items, tracks/,
    ],
    [[], /--format is required; valid formats: athena, glue, duckdb, parquet/],
    [['--format', 'athena'], /--location s3:\/\/bucket\[\/prefix\] \(the lake root\) is required for athena/],
    [['--format', 'athena', '--location', '/tmp/lake'], /must be an s3:\/\/ URL/],
    [['--format', 'glue', '--verbose'], /Unknown option '--verbose'/],
    [['--format', 'glue', 'extra'], /positional argument/],
  ])('exits 2 with a clear error for %j', async (args, message) => {
    const { code, out, err } = await lake('schema', ...args)
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(message)
    expect(err).toMatch(/Usage: lake schema --format athena\|glue\|duckdb\|parquet/)
  })
})
