/** @module Write each table with the derived schema, read it back with hyparquet and with DuckDB. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  col,
  defineTable,
  fromParquetRows,
  lakeTables,
  toDuckDbDdl,
  toParquetColumnData,
  toParquetSchema,
} from '../../src/lake/index.ts'
import { writeLakeParquet } from './support/parquet-io.ts'
import { allTypesRows, allTypesTable, sampleRows } from './support/sample-rows.ts'

const DT = '2026-11-21'
const cases = [
  ...lakeTables.map((t) => [t.name, t, sampleRows[t.name]] as const),
  ['all_types', allTypesTable, allTypesRows] as const,
]

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-round-trip-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function duck() {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS()
  const close = () => {
    connection.closeSync()
    instance.closeSync()
  }
  return { all, close }
}

describe.each(cases)('table %s', (name, table, rows) => {
  const parsedRows = rows.map((row) => table.rowSchema.parse(row))
  const buffer = writeLakeParquet(table, parsedRows)
  const tableDir = () => join(dir, 'tables', name)
  const file = () => join(tableDir(), `dt=${DT}`, 'run-1.parquet')

  beforeAll(async () => {
    await mkdir(join(tableDir(), `dt=${DT}`), { recursive: true })
    await writeFile(file(), new Uint8Array(buffer))
  })

  it('writes the derived schema into the file footer', () => {
    const { schema, num_rows } = parquetMetadata(buffer)
    expect(num_rows).toBe(BigInt(rows.length))
    expect(
      schema.map(({ name, type, repetition_type, converted_type, num_children }) => ({
        name,
        type,
        repetition_type,
        converted_type,
        num_children,
      })),
    ).toEqual(
      toParquetSchema(table).map(({ name, type, repetition_type, converted_type, num_children }) => ({
        name,
        type,
        repetition_type,
        converted_type,
        num_children,
      })),
    )
    expect(schema.find((e) => e.name === '_extracted_at')?.logical_type).toEqual({
      type: 'TIMESTAMP',
      isAdjustedToUTC: true,
      unit: 'MILLIS',
    })
  })

  it('reads back equal with hyparquet', async () => {
    const read = await parquetReadObjects({ file: buffer })
    expect(fromParquetRows(table, read)).toEqual(parsedRows)
  })

  it('reads back equal with DuckDB, typed as the DuckDB DDL declares', async () => {
    const db = await duck()
    try {
      // hive_partitioning off: DuckDB would otherwise add dt from the folder name
      const source = `read_parquet('${file()}', hive_partitioning = false)`
      const described = await db.all(`DESCRIBE SELECT * FROM ${source}`)
      await db.all(toDuckDbDdl(table))
      const declared = await db.all(`DESCRIBE ${JSON.stringify(name)}`)
      expect(described.map((r) => [r.column_name, r.column_type])).toEqual(
        declared.filter((r) => r.column_name !== 'dt').map((r) => [r.column_name, r.column_type]),
      )
      for (const column of table.columns) {
        const type = described.find((r) => r.column_name === column.name)?.column_type
        if (column.type === 'timestamp') expect(type).toBe('TIMESTAMP WITH TIME ZONE')
        if (column.type === 'list<string>') expect(type).toBe('VARCHAR[]')
      }
      const read = await db.all(`SELECT * FROM ${source}`)
      expect(fromParquetRows(table, read)).toEqual(parsedRows)
    } finally {
      db.close()
    }
  })

  it('is queryable through the DuckDB view over the hive-partitioned folder, with dt', async () => {
    const db = await duck()
    try {
      await db.all(toDuckDbDdl(table, { source: tableDir() }))
      const read = await db.all(`SELECT * FROM ${JSON.stringify(name)}`)
      expect(read.map((row) => row.dt)).toEqual(rows.map(() => DT))
      expect(fromParquetRows(table, read)).toEqual(parsedRows)
      // the typed table accepts the view's rows as they are: the two DDL forms agree
      await db.all(toDuckDbDdl(table).replace(`TABLE IF NOT EXISTS "${name}"`, `TABLE "${name}_typed"`))
      await db.all(`INSERT INTO "${name}_typed" SELECT * FROM "${name}"`)
      const [count] = await db.all(`SELECT count(*) AS n FROM "${name}_typed" WHERE dt = '${DT}'`)
      expect(count?.n).toBe(BigInt(rows.length))
    } finally {
      db.close()
    }
  })
})

describe('toParquetColumnData', () => {
  const table = lakeTables[2]

  it('is column-oriented in declared order: strings as they are, bigint for int64 and epoch-ms timestamps', () => {
    const data = toParquetColumnData(allTypesTable, allTypesRows)
    expect(data.map((c) => c.name)).toEqual(allTypesTable.columns.map((c) => c.name))
    expect(data.find((c) => c.name === 'i64')?.data).toEqual([BigInt(Number.MAX_SAFE_INTEGER), null])
    expect(data.find((c) => c.name === 'l_i64')?.data).toEqual([[-BigInt(Number.MAX_SAFE_INTEGER), 0n], []])
    expect(data.find((c) => c.name === 'ts')?.data).toEqual([
      BigInt(Date.parse('2026-11-21T23:59:59.999Z')),
      null,
    ])
    expect(data.find((c) => c.name === 's')?.data).toEqual(allTypesRows.map((r) => r.s ?? null))
  })

  it('writes strings as UTF-8 that hyparquet and DuckDB read back, non-ASCII ones too', async () => {
    // A lone surrogate has no UTF-8 form: like TextEncoder, the writer puts U+FFFD in its place.
    const strings = ['plain', 'ünïcödé ☂ 雨', 'plain', '🌧️', '', 'lone \uD800 high', 'lone \uDC00 low']
    const written = [...strings.slice(0, 5), 'lone \uFFFD high', 'lone \uFFFD low']
    const table = defineTable({
      name: 'strings',
      description: 'strings',
      columns: { s: col.string({ description: 's' }), l: col.list.string({ description: 'l' }) },
      primaryKey: ['s'],
    })
    const rows = strings.map((s) => ({ s, l: [s, 'plain'], _run_id: 'r', _extracted_at: new Date(0) }))
    const buffer = writeLakeParquet(table, rows)
    const expected = written.map((s) => ({ s, l: [s, 'plain'] }))
    const pick = (read: Record<string, unknown>[]) => read.map(({ s, l }) => ({ s, l }))
    expect(pick(await parquetReadObjects({ file: buffer }))).toEqual(expected)
    const path = join(dir, 'strings.parquet')
    await writeFile(path, new Uint8Array(buffer))
    const db = await duck()
    try {
      expect(pick(await db.all(`SELECT s, l FROM read_parquet('${path}')`))).toEqual(expected)
    } finally {
      db.close()
    }
  })

  it('fails loudly on a missing required value or a non-list', () => {
    const row = { ...sampleRows.tracks[0] }
    delete row.track_id
    expect(() => toParquetColumnData(table, [row])).toThrow(/row 0 has no value for required column track_id/)
    expect(() => toParquetColumnData(table, [{ ...sampleRows.tracks[0], artist_ids: 'x' }])).toThrow(
      /not a list/,
    )
  })

  it('writes an empty table', async () => {
    const buffer = writeLakeParquet(table, [])
    expect(await parquetReadObjects({ file: buffer })).toEqual([])
  })
})

describe('fromParquetRows', () => {
  it('keeps declared columns only, turns int64 bigint into numbers and missing values into null', () => {
    const [row] = fromParquetRows(allTypesTable, [
      { ...allTypesRows[1], i64: 7n, l_i64: [1n, -2n], l_s: undefined, dt: '2026-11-21' },
    ])
    expect(row).toEqual({ ...allTypesRows[1], i64: 7, l_i64: [1, -2], l_s: null })
    expect(row).not.toHaveProperty('dt')
  })

  it('refuses an int64 a row cannot hold exactly', () => {
    expect(() => fromParquetRows(allTypesTable, [{ ...allTypesRows[0], i64: 2n ** 60n }])).toThrow(
      /outside the safe integer range/,
    )
  })
})
