/** @module Parquet mapper: the hyparquet-writer schema and column data of a lake table. */
import type { ColumnSource, SchemaElement } from 'hyparquet-writer'
import { isListType, type LakeColumn, type LakeScalarType, scalarOf } from './column-types.ts'
import type { LakeTableShape } from './define-table.ts'

/** The codec the lake writes with (built into hyparquet-writer; Athena reads it natively). */
export const LAKE_PARQUET_CODEC = 'ZSTD' as const

type LeafElement = Omit<SchemaElement, 'name' | 'repetition_type'>

/**
 * Physical + logical type per neutral scalar. Timestamps carry both the TIMESTAMP logical type
 * (UTC-adjusted, millis) and the legacy TIMESTAMP_MILLIS converted type, so old and new readers
 * (Athena's Hive reader, DuckDB, Spark) agree it is an instant in UTC.
 */
const leafElements: Record<LakeScalarType, LeafElement> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  float64: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  timestamp: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
}

function repetition(column: LakeColumn): 'OPTIONAL' | 'REQUIRED' {
  return column.nullable ? 'OPTIONAL' : 'REQUIRED'
}

/** The schema elements of one column: a leaf, or the standard 3-level LIST group. */
function columnElements(column: LakeColumn): SchemaElement[] {
  const leaf = leafElements[scalarOf(column.type)]
  if (!isListType(column.type)) return [{ name: column.name, repetition_type: repetition(column), ...leaf }]
  return [
    {
      name: column.name,
      repetition_type: repetition(column),
      converted_type: 'LIST',
      logical_type: { type: 'LIST' },
      num_children: 1,
    },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    // List elements are never null in the lake (the row schema says so).
    { name: 'element', repetition_type: 'REQUIRED', ...leaf },
  ]
}

/** Flattened schema for `parquetWrite({ schema })`: root, then each column in declared order. No `dt`. */
export function toParquetSchema(table: LakeTableShape): SchemaElement[] {
  return [
    { name: 'schema', num_children: table.columns.length },
    ...table.columns.flatMap((column) => columnElements(column)),
  ]
}

/** Epoch milliseconds of a row's timestamp (a `Date`, or an ISO string on input) as Parquet INT64. */
function timestampOf(value: unknown): bigint {
  return BigInt(value instanceof Date ? value.getTime() : new Date(value as string).getTime())
}

function int64Of(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number)
}

/**
 * Timestamps of one column: rows of one response share their `_extracted_at` Date, so the last
 * conversion is kept for the next row.
 */
function timestampConverter(): (value: unknown) => bigint {
  let last: unknown
  let lastMillis = 0n
  return (value) => {
    if (value !== last) {
      lastMillis = timestampOf(value)
      last = value
    }
    return lastMillis
  }
}

/** One row value as hyparquet-writer's physical value: bigint for INT64; anything else as it is. */
function scalarConverter(type: LakeScalarType): ((value: unknown) => unknown) | null {
  if (type === 'int64') return int64Of
  if (type === 'timestamp') return timestampConverter()
  return null
}

/**
 * Column-oriented data for `parquetWrite({ columnData, schema: toParquetSchema(table) })`, one entry per
 * column in declared order: int64 and timestamps (epoch ms) as bigint, strings as JS strings (the
 * writer encodes each to UTF-8 as it writes it, once per distinct value where it keeps a dictionary),
 * other values as they are. Rows should already be valid rows of the table; a missing required value
 * still fails here loudly rather than writing a wrong file.
 */
export function toParquetColumnData(
  table: LakeTableShape,
  rows: readonly Readonly<Record<string, unknown>>[],
): ColumnSource[] {
  const count = rows.length
  const columns = table.columns.map((column) => ({
    name: column.name,
    nullable: column.nullable,
    list: isListType(column.type),
    convert: scalarConverter(scalarOf(column.type)),
    data: new Array<unknown>(count),
  }))
  // Row by row, every column at once: each row object is visited once, not once per column.
  for (let index = 0; index < count; index++) {
    const row = rows[index] as Record<string, unknown>
    for (const column of columns) {
      const value = row[column.name]
      if (value === null || value === undefined) {
        if (!column.nullable) {
          throw new Error(`table ${table.name}: row ${index} has no value for required column ${column.name}`)
        }
        column.data[index] = null
      } else if (!column.list) {
        column.data[index] = column.convert ? column.convert(value) : value
      } else {
        if (!Array.isArray(value))
          throw new Error(`table ${table.name}: row ${index} column ${column.name} is not a list`)
        column.data[index] = column.convert ? value.map(column.convert) : value
      }
    }
  }
  return columns.map(({ name, data }) => ({ name, data }))
}

function fromParquetScalar(type: LakeScalarType, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (type === 'int64' && typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`int64 value ${value} is outside the safe integer range rows can hold`)
    }
    return Number(value)
  }
  return value
}

/**
 * The inverse of `toParquetColumnData` for rows a reader (hyparquet, DuckDB) hands back, e.g. when
 * compaction re-reads staging files: declared columns only (a hive `dt` is dropped), int64 bigint
 * back to number, and a missing value (hyparquet reads a null LIST as `undefined`) as null. Parse
 * the result with the table's `rowSchema` to get typed rows.
 */
export function fromParquetRows(
  table: LakeTableShape,
  rows: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      table.columns.map((column) => {
        const scalar = scalarOf(column.type)
        const value = row[column.name]
        if (isListType(column.type) && Array.isArray(value)) {
          return [column.name, value.map((element) => fromParquetScalar(scalar, element))]
        }
        return [column.name, fromParquetScalar(scalar, value)]
      }),
    ),
  )
}
