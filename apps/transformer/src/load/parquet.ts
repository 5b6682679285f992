/** @module Parquet output: rows of a lake table to bytes with hyparquet-writer, whole or row group by row group. */
import {
  type AnyLakeTable,
  LAKE_PARQUET_CODEC,
  type LakeTableShape,
  toParquetColumnData,
  toParquetSchema,
} from '@spotify-lake/schemas'
import type { CompressionCodec, Encoding } from 'hyparquet'
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import type { Row } from '../normalize/collector.ts'
import { type Compressors, PARQUET_COMPRESSORS } from './compressors.ts'

export interface ParquetOptions {
  codec?: CompressionCodec
  compressors?: Compressors
}

/** Footer key of a staging file: rows its raw object dropped as in-object duplicates (for reconciliation). */
export const DUPLICATES_METADATA_KEY = 'spotify_lake.duplicates'

/** Rows per row group: small enough that one group's column arrays stay a few MB, big enough for Athena. */
export const ROW_GROUP_SIZE = 10_000

const CREATED_BY = 'spotify-lake transformer (hyparquet-writer)'

/** Incremental writer: `append` encodes one row group at a time, so only that group's rows are held. */
export interface TableParquetWriter {
  append(rows: readonly Row[]): void
  /** Finishes the footer and hands back the whole file. */
  finish(): Uint8Array
  readonly rows: number
}

/** What a writer takes besides the codec: the table, footer metadata, and whether to write statistics. */
export interface TableWriterOptions extends ParquetOptions {
  table: LakeTableShape
  metadata?: Record<string, string>
  /**
   * Column statistics and page indexes (min/max, null counts), on by default: Athena and DuckDB prune
   * row groups with them. Staging files are read whole by compaction only, so they go without.
   */
  statistics?: boolean
  /**
   * Encodings chosen by column name; any other column is left to hyparquet-writer, which samples it
   * and keeps a dictionary when that halves its bytes. Naming PLAIN for a column that holds about one
   * value per row spares that sampling (a hash of each sampled string).
   */
  encodings?: Readonly<Record<string, Encoding>>
}

export function createTableWriter({
  table,
  codec = LAKE_PARQUET_CODEC,
  compressors,
  metadata,
  statistics = true,
  encodings,
}: TableWriterOptions): TableParquetWriter {
  const writer = new ByteWriter(64 * 1024)
  const pq = new ParquetWriter({
    writer,
    schema: toParquetSchema(table),
    codec,
    compressors: { ...PARQUET_COMPRESSORS, ...compressors },
    statistics,
    createdBy: CREATED_BY,
    ...(metadata ? { kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })) } : {}),
  })
  let rows = 0
  return {
    append(batch) {
      if (batch.length === 0) return
      // One call = one row group: the size is the batch's own.
      const columnData = toParquetColumnData(table, batch)
      if (!statistics) for (const column of columnData) column.offsetIndex = false
      if (encodings) {
        for (const column of columnData) {
          const encoding = encodings[column.name]
          if (encoding) column.encoding = encoding
        }
      }
      pq.write({ columnData, rowGroupSize: batch.length })
      rows += batch.length
    },
    finish() {
      pq.finish()
      return writer.getBytes().slice()
    },
    get rows() {
      return rows
    },
  }
}

/** A whole table's rows to one Parquet file, cut into row groups of `rowGroupSize`. */
export function writeTableParquet({
  table,
  rows,
  rowGroupSize = ROW_GROUP_SIZE,
  ...options
}: Omit<TableWriterOptions, 'table'> & {
  table: AnyLakeTable | LakeTableShape
  rows: readonly Row[]
  rowGroupSize?: number
}): Uint8Array {
  const out = createTableWriter({ table, ...options })
  for (let start = 0; start < rows.length; start += rowGroupSize)
    out.append(rows.slice(start, start + rowGroupSize))
  return out.finish()
}
