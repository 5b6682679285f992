/** @module Run finalization: compact every table, merge rejects, reconcile counts and decide the run's status. */
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  type Dt,
  LAKE_TABLE_NAMES,
  type LakeTableName,
  type RunId,
  type RunStatus,
  type TableStats,
} from '@spotify-lake/schemas'
import { compactTable, mergeRejects } from '../load/compact.ts'
import type { ParquetOptions } from '../load/parquet.ts'

/** A table's line of the manifest as compaction knows it (`complete` is decided later, by the queue). */
type CompactedStats = Omit<TableStats, 'complete'>

export interface Reconciliation {
  itemsSeen: number
  rowsWritten: number
  rowsRejected: number
  ok: boolean
}

export interface FinalizeResult {
  tables: Record<LakeTableName, CompactedStats>
  rejects: Record<string, number>
  reconciliation: Reconciliation
  status: Extract<RunStatus, 'succeeded' | 'partial' | 'failed'>
  /** Per-table detail when the counts do not close (empty when they do). */
  discrepancies: string[]
  timings: Record<string, number>
  stagingKeys: string[]
}

/** What the run recorded per table while transforming (rows and rejects each raw object produced). */
export type ExpectedCounts = Partial<Record<LakeTableName, { rows: number; rejected: number }>>

export interface FinalizeOptions extends ParquetOptions {
  store: LakeStore
  /** Rows per output row group and the staging cache of compaction (see `compactTable`). */
  rowGroupSize?: number
  cacheBytes?: number
  dt: Dt
  runId: RunId
  /**
   * The run's own tally from transform time. When given, staging must hold exactly that many rows
   * and rejects per table, so a lost staging object or an unrecorded message shows up.
   */
  expected?: ExpectedCounts
  /** Records the run saw in raw (the coordinator's sum of `itemsSeen`); by default what staging accounts for. */
  expectedItemsSeen?: number
  /** False when some extraction unit failed, was dead-lettered or is still deferred: data is missing. */
  unitsComplete?: boolean
  now?: () => number
}

/**
 * Reconciliation rule: items seen in raw = rows written + duplicates dropped by primary-key dedup
 * (in one raw object or across them) + rows rejected, and staging holds per table exactly what
 * the transforms recorded. A run is `failed` when that does not close, `partial` when it closes
 * with rejects or incomplete units, `succeeded` only when every record became a row.
 */
export async function finalizeRun({
  store,
  dt,
  runId,
  expected,
  expectedItemsSeen,
  unitsComplete = true,
  now = () => Date.now(),
  ...parquet
}: FinalizeOptions): Promise<FinalizeResult> {
  const started = now()
  const tables = {} as Record<LakeTableName, CompactedStats>
  const rejects: Record<string, number> = {}
  const discrepancies: string[] = []
  const stagingKeys: string[] = []
  const totals = { staged: 0, written: 0, rejected: 0, duplicates: 0 }
  for (const name of LAKE_TABLE_NAMES) {
    const expectRows = expected?.[name]?.rows ?? 0
    const compacted = await compactTable({ store, table: name, dt, runId, expectRows, ...parquet })
    const merged = await mergeRejects({ store, table: name, dt, runId })
    stagingKeys.push(...compacted.stagingKeys, ...merged.stagingKeys)
    for (const [reason, n] of Object.entries(merged.byReason)) rejects[reason] = (rejects[reason] ?? 0) + n
    tables[name] = {
      rows: compacted.rows,
      rejected: merged.rejected,
      duplicates: compacted.duplicates,
      bytes: compacted.bytes + merged.bytes,
      ...(compacted.key ? { key: compacted.key } : {}),
    }
    const staged = compacted.stagedRows + merged.rejected
    const want = expected ? (expected[name]?.rows ?? 0) + (expected[name]?.rejected ?? 0) : staged
    if (want !== staged) {
      discrepancies.push(`${name}: transforms recorded ${want} rows and rejects, staging holds ${staged}`)
    }
    totals.staged += staged + compacted.stagedDuplicates
    totals.written += compacted.rows
    totals.rejected += merged.rejected
    totals.duplicates += compacted.duplicates
  }
  const seen = expectedItemsSeen ?? totals.staged
  if (seen !== totals.staged)
    discrepancies.push(`${seen} records seen in raw, staging accounts for ${totals.staged}`)
  const ok = discrepancies.length === 0 && seen === totals.written + totals.duplicates + totals.rejected
  const status = !ok ? 'failed' : totals.rejected > 0 || !unitsComplete ? 'partial' : 'succeeded'
  return {
    tables,
    rejects,
    reconciliation: { itemsSeen: seen, rowsWritten: totals.written, rowsRejected: totals.rejected, ok },
    status,
    discrepancies,
    timings: { compactMs: now() - started },
    stagingKeys,
  }
}

/** Staging is removed only after the table files and the manifest are durable. */
export async function removeStaging({
  store,
  keys,
}: {
  store: LakeStore
  keys: readonly string[]
}): Promise<void> {
  await store.deleteMany(keys)
}
