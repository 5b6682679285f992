/**
 * @module hyparquet-writer as patched (`patches/hyparquet-writer@0.17.0.patch`): the same bytes as the
 * published writer, strings given as strings or as bytes, and files hyparquet and DuckDB read back.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { ByteWriter, ParquetWriter, parquetWriteBuffer } from 'hyparquet-writer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import upstream from './fixtures/hyparquet-writer-upstream.json' with { type: 'json' }
import { asBytes, caseOptions, WRITER_CASES, type WriterInput, writerInput } from './support/writer-cases.ts'

const require = createRequire(import.meta.url)
const installed = JSON.parse(
  readFileSync(join(dirname(require.resolve('hyparquet-writer')), '../package.json'), 'utf8'),
) as { version: string }

const sha256 = (buffer: ArrayBuffer) => createHash('sha256').update(new Uint8Array(buffer)).digest('hex')

/** A lone surrogate has no UTF-8 form: TextEncoder, and so the writer, put U+FFFD in its place. */
const wellFormed = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    : Array.isArray(value)
      ? value.map(wellFormed)
      : value

/** The rows a reader should hand back for `input`: strings well formed, an absent list as null. */
function expectedRows(input: WriterInput) {
  const rows = input.columnData[0]!.data.length
  return Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(input.columnData.map((c) => [c.name, wellFormed(c.data[i] ?? null)])),
  )
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hyparquet-writer-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('hyparquet-writer, patched', () => {
  it('is the version the upstream hashes were taken from (regenerate them after an upgrade)', () => {
    expect(installed.version).toBe(upstream.version)
  })

  it.each(WRITER_CASES.map((c) => [c.name, c] as const))(
    'writes byte for byte what the published writer writes: %s',
    (name, c) => {
      const expected = (upstream.hashes as Record<string, string>)[name]
      const input = writerInput(c.rows)
      // Strings as strings (what the lake hands over) and as UTF-8 bytes (what the upstream hashes saw).
      expect(sha256(parquetWriteBuffer(caseOptions(c, input)))).toBe(expected)
      expect(sha256(parquetWriteBuffer(caseOptions(c, asBytes(input))))).toBe(expected)
    },
  )

  it.each(WRITER_CASES.filter((c) => c.rows <= 3000).map((c) => [c.name, c] as const))(
    'writes what hyparquet and DuckDB read back as the input: %s',
    async (name, c) => {
      const input = writerInput(c.rows)
      const buffer = parquetWriteBuffer(caseOptions(c, input))
      const expected = expectedRows(input)

      const read = await parquetReadObjects({ file: buffer })
      const fromHyparquet = read.map((row) => ({
        ...row,
        tags: row.tags ?? null,
        counts: row.counts ?? null,
        fetched: BigInt((row.fetched as Date).getTime()),
        added: row.added === null ? null : BigInt((row.added as Date).getTime()),
      }))
      expect(fromHyparquet).toEqual(expected)

      const path = join(dir, `${name.replaceAll(' ', '-')}.parquet`)
      await writeFile(path, new Uint8Array(buffer))
      const instance = await DuckDBInstance.create(':memory:')
      const db = await instance.connect()
      try {
        const result = await db.runAndReadAll(
          `SELECT * REPLACE (epoch_ms(fetched) AS fetched, epoch_ms(added) AS added) FROM read_parquet('${path}')`,
        )
        const fromDuckDb = result.getRowObjectsJS().map((row) => ({
          ...row,
          small: row.small === null ? null : Number(row.small),
        }))
        expect(fromDuckDb).toEqual(expected)
      } finally {
        db.closeSync()
        instance.closeSync()
      }
    },
  )

  it('pages many columns through its reused page buffers without mixing them up', async () => {
    // Two writers at once, interleaved row group by row group: each has its own page buffers.
    const a = writerInput(900, 1)
    const b = writerInput(700, 2)
    const writers = [a, b].map((input) => {
      const out = new ByteWriter()
      return {
        input,
        out,
        pq: new ParquetWriter({ writer: out, schema: input.schema, codec: 'UNCOMPRESSED' }),
      }
    })
    for (let start = 0; start < 900; start += 300) {
      for (const { input, pq } of writers) {
        const columnData = input.columnData.map((c) => ({ ...c, data: c.data.slice(start, start + 300) }))
        if (columnData[0]!.data.length) pq.write({ columnData, rowGroupSize: 300 })
      }
    }
    for (const { input, out, pq } of writers) {
      pq.finish()
      const file = out.getBuffer()
      expect(parquetMetadata(file).num_rows).toBe(BigInt(input.columnData[0]!.data.length))
      const rows = await parquetReadObjects({ file, columns: ['id', 'name', 'tags'] })
      const expected = expectedRows(input).map(({ id, name, tags }) => ({ id, name, tags }))
      expect(rows.map((r) => ({ ...r, tags: r.tags ?? null }))).toEqual(expected)
    }
  })
})
