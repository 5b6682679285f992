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

/** A string's UTF-8 bytes, the same object for the same string (see `createUtf8Encoder`). */
export type Utf8Encoder = (value: string) => Uint8Array

/**
 * UTF-8 bytes of each distinct string, encoded once. hyparquet-writer takes bytes for a string column
 * as they are, and a repeated string then reaches its dictionary as the same object (found by identity,
 * not by hashing its bytes again): a playlist repeats ids, names and the run id a lot, and one encoder
 * shared by the tables of one raw object also serves the ids and names they have in common.
 */
export function createUtf8Encoder(): Utf8Encoder {
  const encoder = new TextEncoder()
  const cache = new Map<string, Uint8Array>()
  // Bytes go into shared chunks and each value is a view: one allocation per chunk, not per string.
  let chunk = new Uint8Array(64 * 1024)
  let used = 0
  return (value) => {
    let bytes = cache.get(value)
    if (bytes !== undefined) return bytes
    const length = value.length
    if (used + length * 3 > chunk.length) {
      chunk = new Uint8Array(Math.max(64 * 1024, length * 3))
      used = 0
    }
    let at = used
    let ascii = true
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i)
      if (code > 0x7f) {
        ascii = false
        break
      }
      chunk[at++] = code
    }
    if (!ascii) at = used + encoder.encodeInto(value, chunk.subarray(used)).written
    bytes = chunk.subarray(used, at)
    used = at
    cache.set(value, bytes)
    return bytes
  }
}

/** Epoch milliseconds of a row's timestamp (a `Date`, or an ISO string on input) as Parquet INT64. */
function timestampOf(value: unknown): bigint {
  return BigInt(value instanceof Date ? value.getTime() : new Date(value as string).getTime())
}

/** One row value as hyparquet-writer's physical value: bytes for strings, bigint for INT64. */
function scalarConverter(type: LakeScalarType, encode: Utf8Encoder): ((value: unknown) => unknown) | null {
  switch (type) {
    case 'string':
      return (value) => encode(value as string)
    case 'int64':
      return (value) => (typeof value === 'bigint' ? value : BigInt(value as number))
    case 'timestamp':
      return timestampOf
    default:
      return null
  }
}

/**
 * Column-oriented data for `parquetWrite({ columnData, schema: toParquetSchema(table) })`, one entry per
 * column in declared order: strings as UTF-8 bytes, int64 and timestamps (epoch ms) as bigint. Rows
 * should already be valid rows of the table; a missing required value still fails here loudly rather
 * than writing a wrong file.
 */
export function toParquetColumnData(
  table: LakeTableShape,
  rows: readonly Readonly<Record<string, unknown>>[],
  { encode = createUtf8Encoder() }: { encode?: Utf8Encoder } = {},
): ColumnSource[] {
  const count = rows.length
  return table.columns.map((column) => {
    const name = column.name
    const convert = scalarConverter(scalarOf(column.type), encode)
    const list = isListType(column.type)
    const data: unknown[] = new Array(count)
    for (let index = 0; index < count; index++) {
      const value = (rows[index] as Record<string, unknown>)[name]
      if (value === null || value === undefined) {
        if (!column.nullable) {
          throw new Error(`table ${table.name}: row ${index} has no value for required column ${name}`)
        }
        data[index] = null
      } else if (!list) {
        data[index] = convert ? convert(value) : value
      } else {
        if (!Array.isArray(value))
          throw new Error(`table ${table.name}: row ${index} column ${name} is not a list`)
        data[index] = convert ? value.map(convert) : value
      }
    }
    return { name, data }
  })
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
