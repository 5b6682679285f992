/** @module Every target lists the same columns, in the same order, with the mapped types. */
import { describe, expect, it } from 'vitest'
import {
  type LakeColumnType,
  type LakeScalarType,
  lakeTables,
  toAthenaDdl,
  toDuckDbDdl,
  toGlueColumns,
  toGluePartitionKeys,
  toGlueTableParameters,
  toParquetSchema,
} from '../../src/lake/index.ts'
import { parseAthenaDdl, parseDuckDbDdl, parseParquetSchema } from './support/ddl-parse.ts'
import { allTypesTable } from './support/sample-rows.ts'

/** The mapping the design asks for, written independently of the mappers. */
const expected: Record<LakeScalarType, { parquet: object; hive: string; duckdb: string }> = {
  string: {
    parquet: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
    hive: 'string',
    duckdb: 'VARCHAR',
  },
  int32: { parquet: { type: 'INT32' }, hive: 'int', duckdb: 'INTEGER' },
  int64: { parquet: { type: 'INT64' }, hive: 'bigint', duckdb: 'BIGINT' },
  float64: { parquet: { type: 'DOUBLE' }, hive: 'double', duckdb: 'DOUBLE' },
  boolean: { parquet: { type: 'BOOLEAN' }, hive: 'boolean', duckdb: 'BOOLEAN' },
  timestamp: {
    parquet: {
      type: 'INT64',
      converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    },
    hive: 'timestamp',
    duckdb: 'TIMESTAMPTZ',
  },
}

function split(type: LakeColumnType): { list: boolean; scalar: LakeScalarType } {
  const m = type.match(/^list<(.+)>$/)
  return m ? { list: true, scalar: m[1] as LakeScalarType } : { list: false, scalar: type as LakeScalarType }
}

const tables = [...lakeTables, allTypesTable]

describe.each(tables.map((t) => [t.name, t] as const))('table %s', (name, table) => {
  const declared = table.columns.map((c) => c.name)
  const location = `s3://lake-bucket/tables/${name}/`

  it('Parquet schema: same columns, order, repetition and physical/logical types', () => {
    const parsed = parseParquetSchema(toParquetSchema(table))
    expect(parsed.map((c) => c.name)).toEqual(declared)
    table.columns.forEach((column, i) => {
      const { list, scalar } = split(column.type)
      const got = parsed[i]!
      expect(got.list).toBe(list)
      expect(got.repetition).toBe(column.nullable ? 'OPTIONAL' : 'REQUIRED')
      expect(got.leaf).toMatchObject(expected[scalar].parquet)
      if (list) expect(got.leaf.repetition_type).toBe('REQUIRED')
    })
  })

  it('Glue columns: same columns, order, Hive types and descriptions; dt only as partition key', () => {
    const glue = toGlueColumns(table)
    expect(glue.map((c) => c.name)).toEqual(declared)
    table.columns.forEach((column, i) => {
      const { list, scalar } = split(column.type)
      expect(glue[i]!.type).toBe(list ? `array<${expected[scalar].hive}>` : expected[scalar].hive)
      expect(glue[i]!.comment).toBe(column.description)
    })
    expect(toGluePartitionKeys(table)).toMatchObject([{ name: 'dt', type: 'string' }])
  })

  it('Athena DDL parsed back equals the Glue table', () => {
    const ddl = parseAthenaDdl(toAthenaDdl(table, { database: 'spotify_lake', location }))
    expect(ddl.database).toBe('spotify_lake')
    expect(ddl.table).toBe(name)
    expect(ddl.columns).toEqual(toGlueColumns(table))
    expect(ddl.partitionKeys).toEqual(toGluePartitionKeys(table).map(({ name, type }) => ({ name, type })))
    expect(ddl.storedAsParquet).toBe(true)
    expect(ddl.location).toBe(location)
    const { classification: _c, EXTERNAL: _e, ...projected } = toGlueTableParameters({ location })
    expect(ddl.properties).toEqual(projected)
    expect(ddl.properties).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2024-01-01,NOW',
      'storage.location.template': `${location}dt=\${dt}/`,
      'parquet.compression': 'ZSTD',
    })
  })

  it('DuckDB table and view DDL parsed back: same columns, order and types, then dt', () => {
    const typed = table.columns.map((column) => {
      const { list, scalar } = split(column.type)
      return { name: column.name, type: `${expected[scalar].duckdb}${list ? '[]' : ''}` }
    })
    const dt = { name: 'dt', type: 'VARCHAR' }
    const created = parseDuckDbDdl(toDuckDbDdl(table))
    expect(created).toEqual([
      ...typed.map((c, i) => ({ ...c, nullable: table.columns[i]!.nullable })),
      { ...dt, nullable: false },
    ])
    expect(parseDuckDbDdl(toDuckDbDdl(table, { source: `/cache/tables/${name}` }))).toEqual([...typed, dt])
  })
})

describe('derivation options', () => {
  const table = lakeTables[0]

  it('adds the trailing slash to locations and honours the projection start', () => {
    const ddl = parseAthenaDdl(
      toAthenaDdl(table, {
        database: 'db',
        location: 's3://b/tables/playlists',
        projectionStart: '2026-01-01',
      }),
    )
    expect(ddl.location).toBe('s3://b/tables/playlists/')
    expect(ddl.properties['projection.dt.range']).toBe('2026-01-01,NOW')
    expect(ddl.properties['storage.location.template']).toBe(`s3://b/tables/playlists/dt=\${dt}/`)
  })

  it('refuses a non-S3 Athena location', () => {
    expect(() => toAthenaDdl(table, { database: 'db', location: '/tmp/x' })).toThrow(/s3:\/\//)
  })

  it('escapes quotes in comments so the DDL stays one statement', () => {
    const ddl = toAthenaDdl(allTypesTable, { database: 'db', location: 's3://b/t/' })
    expect(ddl).toContain("COMMENT 'Every neutral type, nullable and not (a \\'quoted\\' description).'")
    expect(parseAthenaDdl(ddl).columns).toHaveLength(allTypesTable.columns.length)
  })
})
