/** @module Public API of @spotify-lake/transformer for Node callers (CLI, bench): the pure steps and the S3 ones. */

export {
  ImportError,
  type ImportExportOptions,
  type ImportProgress,
  type ImportResult,
  importExport,
} from './import/import-export.ts'
export { compactTable, mergeRejects } from './load/compact.ts'
export {
  finalizing,
  NOT_EXTRACTED,
  type TableCompleteness,
  tableCompleteness,
  writeRunTables,
} from './load/completeness.ts'
export {
  type Compressors,
  type Decompressors,
  PARQUET_COMPRESSORS,
  PARQUET_DECOMPRESSORS,
  ZSTD_LEVEL,
} from './load/compressors.ts'
export { createTableWriter, type ParquetOptions, ROW_GROUP_SIZE, writeTableParquet } from './load/parquet.ts'
export {
  clearRunStaging,
  encodeRejects,
  partOfRawKey,
  type StageSummary,
  stageOutput,
  stageSummaryOf,
} from './load/stage.ts'
export { kindOfBody, kindOfEndpoint, RESPONSE_KINDS, type ResponseKind } from './normalize/classify.ts'
export type { Row, TableOutput, TransformOutput } from './normalize/collector.ts'
export { countByReason, REJECT_REASONS, type RejectReason, type RejectRecord } from './normalize/rejects.ts'
export { type TransformRawOptions, type TransformRawResult, transformRaw } from './normalize/transform-raw.ts'
export { type ExpectedCounts, type FinalizeResult, finalizeRun, removeStaging } from './run/finalize.ts'
export {
  type ReplayRunResult,
  RunStillOpenError,
  rawKeysByRun,
  replay,
  replayRun,
} from './run/replay.ts'
