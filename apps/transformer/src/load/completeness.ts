/**
 * @module Which tables a run holds completely, and its `run_tables` file: what the lake's views read to
 * never let a partial run's rows replace a complete run's.
 */
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  type Dt,
  LAKE_TABLE_NAMES,
  type LakeTableName,
  lakeKeys,
  type RunId,
  type RunManifest,
  type RunTableRowInput,
  runTablesTable,
  tablesOfUnitKey,
} from '@spotify-lake/schemas'
import type { ParquetOptions } from './parquet.ts'
import { writeTableParquet } from './parquet.ts'

/** The reason of a table no unit of the run writes: not the run's to answer for, and no fault of it. */
export const NOT_EXTRACTED = 'no unit of the run extracts it'

/** Per data table: complete, or why not. */
export type TableCompleteness = Record<LakeTableName, { complete: boolean; reason: string | null }>

/** Unit statuses that mean data may be missing (a later run would bring it): the rest is Spotify's final answer. */
const MISSING: ReadonlySet<string> = new Set(['pending', 'deferred', 'dead_lettered'])
/**
 * Failure reasons that are no final answer of Spotify about the data: the account's consent ended
 * (`reauth_required`), so its data is missing until it reconnects.
 */
const MISSING_REASONS: ReadonlySet<string> = new Set(['reauth_required'])

/**
 * A run is complete for a table when nothing that table should hold is known to be missing: some unit of
 * the run can write the table (a run of other sources says nothing about it), the run was not closed early (failed at once, abandoned, cancelled), no unit that can write the table is pending,
 * deferred or dead-lettered, no transform was dead-lettered, and the counts reconcile. A unit that
 * failed permanently (404, 403) and records rejected for their content do not make a run incomplete:
 * they are Spotify's final answer, which a later run would get again (both stay visible in the manifest).
 */
export function tableCompleteness({
  manifest,
  reconciled,
  rejects,
}: {
  manifest: Pick<RunManifest, 'units' | 'failure'> | null
  reconciled: boolean
  rejects: Record<string, number>
}): TableCompleteness {
  const whole = (reason: string | null) =>
    Object.fromEntries(
      LAKE_TABLE_NAMES.map((t) => [t, { complete: reason === null, reason }]),
    ) as TableCompleteness
  // Without a manifest (its state is gone), raw is the only record of the run: what it holds counts.
  if (!manifest) return whole(null)
  if (manifest.failure) return whole(`the run closed early (${manifest.failure.reason})`)
  if (!reconciled) return whole('the counts do not reconcile')
  if ((rejects.dead_lettered ?? 0) > 0) return whole('a transform was dead-lettered: replay the run')
  const result = whole(null)
  // A table no unit of the run can write is not the run's to answer for (an hourly plays poll holds no
  // playlists): its zero rows must not stand for the day in the views.
  const written = new Set(
    Object.keys(manifest.units).flatMap((key) => tablesOfUnitKey(key) ?? LAKE_TABLE_NAMES),
  )
  for (const table of LAKE_TABLE_NAMES) {
    if (!written.has(table)) result[table] = { complete: false, reason: NOT_EXTRACTED }
  }
  for (const [key, unit] of Object.entries(manifest.units)) {
    const missing =
      MISSING.has(unit.status) || (unit.status === 'failed' && MISSING_REASONS.has(unit.reason ?? ''))
    if (!missing) continue
    const why = unit.status === 'failed' ? `failed (${unit.reason})` : unit.status
    // A key no resource makes (an older run's) may have held anything.
    for (const table of tablesOfUnitKey(key) ?? LAKE_TABLE_NAMES) {
      if (result[table].complete) result[table] = { complete: false, reason: `unit ${key} is ${why}` }
    }
  }
  return result
}

/**
 * Writes `tables/run_tables/dt=<dt>/<run_id>.parquet`: one row per data table. Written once before
 * compaction with every table incomplete ("finalizing") and again after it, so a crash in between
 * can never leave a half-compacted run looking complete.
 */
export async function writeRunTables({
  store,
  dt,
  runId,
  createdAt,
  status,
  completeness,
  tables,
  ...parquet
}: ParquetOptions & {
  store: LakeStore
  dt: Dt
  runId: RunId
  /** When the run started (the rows' `_extracted_at`). */
  createdAt: string
  status: string
  completeness: TableCompleteness
  tables: Partial<Record<LakeTableName, { rows: number; rejected: number }>>
}): Promise<void> {
  const rows: RunTableRowInput[] = LAKE_TABLE_NAMES.map((table) => ({
    table_name: table,
    run_status: status,
    complete: completeness[table].complete,
    incomplete_reason: completeness[table].reason,
    rows_written: tables[table]?.rows ?? 0,
    rows_rejected: tables[table]?.rejected ?? 0,
    _run_id: runId,
    _extracted_at: createdAt,
  }))
  const bytes = writeTableParquet({
    table: runTablesTable,
    rows: rows.map((row) => runTablesTable.rowSchema.parse(row)),
    ...parquet,
  })
  await store.put(lakeKeys.table({ table: runTablesTable.name, dt, runId }), bytes)
}

/** Every table incomplete, while a run is being compacted. */
export function finalizing(): TableCompleteness {
  return Object.fromEntries(
    LAKE_TABLE_NAMES.map((t) => [t, { complete: false, reason: 'the run is being finalized' }]),
  ) as TableCompleteness
}
