/** @module Test helpers: write a lake table's rows to Parquet and normalise what readers hand back. */
import { parquetWriteBuffer } from 'hyparquet-writer'
import {
  LAKE_PARQUET_CODEC,
  type LakeTableShape,
  toParquetColumnData,
  toParquetSchema,
} from '../../src/lake/index.ts'

/** Exactly what the transformer does: derived schema, derived column data, the lake codec. */
export function writeLakeParquet(
  table: LakeTableShape,
  rows: readonly Record<string, unknown>[],
): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: toParquetColumnData(table, rows),
    schema: toParquetSchema(table),
    codec: LAKE_PARQUET_CODEC,
  })
}
