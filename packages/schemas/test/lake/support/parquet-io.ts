/** @module Test helpers: write a lake table's rows to Parquet and normalise what readers hand back. */
import { parquetWriteBuffer } from 'hyparquet-writer'
import { type LakeTableShape, toParquetColumnData, toParquetSchema } from '../../../src/lake/index.ts'

/**
 * What the transformer does: derived schema, derived column data. SNAPPY (built into hyparquet-writer):
 * the lake's codec needs the transformer's WebAssembly zstd, and is tested there.
 */
export function writeLakeParquet(
  table: LakeTableShape,
  rows: readonly Record<string, unknown>[],
): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: toParquetColumnData(table, rows),
    schema: toParquetSchema(table),
    codec: 'SNAPPY',
  })
}
