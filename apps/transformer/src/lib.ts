/** @module Public API of @spotify-lake/transformer for Node callers (CLI, bench): the pure steps and the S3 ones. */
export { KINDS_BY_SOURCE, kindOfBody, kindOfEndpoint, RESPONSE_KINDS, type ResponseKind } from './classify.ts'
export type { Row, TableOutput, TransformOutput } from './collector.ts'
export { compactTable, mergeRejects } from './compact.ts'
export {
  finalizing,
  type TableCompleteness,
  tableCompleteness,
  writeRunTables,
} from './completeness.ts'
export {
  type Compressors,
  type Decompressors,
  PARQUET_COMPRESSORS,
  PARQUET_DECOMPRESSORS,
  ZSTD_LEVEL,
} from './compressors.ts'
export { type ExpectedCounts, type FinalizeResult, finalizeRun, removeStaging } from './finalize.ts'
export { createTableWriter, type ParquetOptions, ROW_GROUP_SIZE, writeTableParquet } from './parquet.ts'
export { countByReason, REJECT_REASONS, type RejectReason, type RejectRecord } from './rejects.ts'
export { type ReplayRunResult, rawKeysByRun, replay, replayRun } from './replay.ts'
export {
  clearRunStaging,
  encodeRejects,
  partOfRawKey,
  type StageSummary,
  stageOutput,
  stageSummaryOf,
} from './stage.ts'
export { type TransformRawOptions, type TransformRawResult, transformRaw } from './transform-raw.ts'
