/** @module Replay: rebuild a run's tables (or every run of a dt) from raw, with the same pure steps as the queue path. */
import type { LakeStore } from '@spotify-lake/lake-store'
import { finishManifest } from '@spotify-lake/run-coordinator/finish'
import { isRunLive } from '@spotify-lake/run-coordinator/liveness'
import {
  COMPLETE_UNIT_STATUSES,
  type Dt,
  type LakeTableName,
  lakeKeys,
  parseRawKey,
  RAW_FOLDERS,
  type RawFolder,
  type RunId,
  RunIdSchema,
  type RunManifest,
  RunManifestSchema,
  type RunStatus,
} from '@spotify-lake/schemas'
import {
  finalizing,
  type TableCompleteness,
  tableCompleteness,
  writeRunTables,
} from '../load/completeness.ts'
import type { ParquetOptions } from '../load/parquet.ts'
import { clearRunStaging, partOfRawKey, stageOutput } from '../load/stage.ts'
import { transformRaw } from '../normalize/transform-raw.ts'
import { type ExpectedCounts, type FinalizeResult, finalizeRun, removeStaging } from './finalize.ts'

/** Raw keys of a dt grouped by run (`parseRawKey`); keys of another layout are left alone. */
export async function rawKeysByRun({
  store,
  dt,
  runId,
}: {
  store: LakeStore
  dt: Dt
  runId?: RunId
}): Promise<Map<RunId, { source: RawFolder; key: string }[]>> {
  const runs = new Map<RunId, { source: RawFolder; key: string }[]>()
  for (const source of RAW_FOLDERS) {
    const prefix = runId ? lakeKeys.rawRunPrefix({ source, dt, runId }) : lakeKeys.rawDtPrefix({ source, dt })
    for (const key of await store.listKeys(prefix)) {
      const parts = parseRawKey(key)
      if (!parts || !RunIdSchema.safeParse(parts.runId).success) continue
      const list = runs.get(parts.runId) ?? []
      list.push({ source, key })
      runs.set(parts.runId, list)
    }
  }
  for (const list of runs.values()) list.sort((a, b) => (a.key < b.key ? -1 : 1))
  return runs
}

export interface ReplayRunResult extends Omit<FinalizeResult, 'status'> {
  runId: RunId
  rawObjects: number
  /** The status written to the manifest (a run closed early keeps `abandoned` or `failed`). */
  status: RunStatus
  /** Per table: whether the views count this run's rows (see `tableCompleteness`). */
  completeness: TableCompleteness
}

/**
 * Rebuilds one run: transform every raw object, compact, write the manifest's table figures.
 * The existing manifest (written by the run coordinator) keeps its units and API figures; a run
 * with no manifest (its state is gone) gets a fresh one with trigger `replay`.
 */
export async function replayRun({
  store,
  dt,
  runId,
  raw,
  now = () => new Date(),
  ...parquet
}: ParquetOptions & {
  store: LakeStore
  dt: Dt
  runId: RunId
  raw?: { source: RawFolder; key: string }[]
  now?: () => Date
}): Promise<ReplayRunResult> {
  const started = now().getTime()
  const objects = raw ?? (await rawKeysByRun({ store, dt, runId })).get(runId) ?? []
  await clearRunStaging({ store, dt, runId })
  const expected: ExpectedCounts = {}
  let itemsSeen = 0
  for (const { source, key } of objects) {
    const bytes = await store.get(key)
    if (!bytes) throw new Error(`raw object vanished during replay: ${key}`)
    const { output } = await transformRaw({ bytes, name: key, expect: { runId, dt, source } })
    const staged = await stageOutput({ store, output, dt, runId, part: partOfRawKey(key), ...parquet })
    itemsSeen += staged.itemsSeen
    for (const [table, counts] of Object.entries(staged.tables) as [
      keyof ExpectedCounts,
      { rows: number; rejected: number },
    ][]) {
      const sum = expected[table] ?? { rows: 0, rejected: 0 }
      expected[table] = { rows: sum.rows + counts.rows, rejected: sum.rejected + counts.rejected }
    }
  }
  const previous = await store.getJson(lakeKeys.manifest(runId))
  const old = previous ? RunManifestSchema.safeParse(previous) : null
  const unitsComplete = old?.success
    ? Object.values(old.data.units).every((u) => COMPLETE_UNIT_STATUSES.has(u.status))
    : true
  const createdAt = old?.success ? old.data.createdAt : now().toISOString()
  const runTables = { store, dt, runId, createdAt, ...parquet }
  await writeRunTables({ ...runTables, status: 'running', completeness: finalizing(), tables: {} })
  const result = await finalizeRun({
    store,
    dt,
    runId,
    expected,
    expectedItemsSeen: itemsSeen,
    unitsComplete,
    ...parquet,
  })
  const stamp = now().toISOString()
  const base: RunManifest = old?.success
    ? old.data
    : RunManifestSchema.parse({
        v: 1,
        runId,
        dt,
        status: 'running',
        trigger: 'replay',
        createdAt: stamp,
        updatedAt: stamp,
      })
  // A run the coordinator closed early (abandoned, failed at once) keeps that status and its reason.
  const completeness = tableCompleteness({
    manifest: old?.success ? old.data : null,
    reconciled: result.reconciliation.ok,
    rejects: result.rejects,
  })
  const status = base.failure ? base.status : result.status
  await writeRunTables({ ...runTables, status, completeness, tables: result.tables })
  // The coordinator's own rule (`finishManifest`); written to S3 here, since a replay may run long after
  // the run's coordinator is gone (and from the CLI, which has none).
  const manifest = structuredClone(base)
  finishManifest(
    manifest,
    {
      status: result.status,
      tables: Object.fromEntries(
        Object.entries(result.tables).map(([t, stats]) => [
          t,
          { ...stats, complete: completeness[t as LakeTableName].complete },
        ]),
      ),
      rejects: result.rejects,
      reconciliation: result.reconciliation,
      timings: { ...result.timings, replayMs: now().getTime() - started },
    },
    { stamp, replay: true },
  )
  await store.putJson(lakeKeys.manifest(runId), manifest)
  await removeStaging({ store, keys: result.stagingKeys })
  return { ...result, status, completeness, runId, rawObjects: objects.length }
}

/**
 * A replay refused because a run may still be extracting: rebuilding it now would write run_tables and
 * a closed manifest that its coordinator's later close (or cancel) contradicts. `runs` are the run ids.
 */
export class RunStillOpenError extends Error {
  override name = 'RunStillOpenError'
  constructor(readonly runs: readonly { runId: RunId; status: RunStatus; updatedAt: string }[]) {
    super(
      `${runs.map((r) => `run ${r.runId} is still open (${r.status}, last activity ${r.updatedAt})`).join('; ')}: ` +
        'wait until it closes (a run with no progress closes as abandoned after the stall timeout, 30 min by default), ' +
        'or force the replay (lake replay --force; a replay message\'s "force": true) to rebuild it anyway',
    )
  }
}

/** The runs among `runIds` whose manifest says they may still be extracting (`isRunLive`). */
async function liveRuns(
  store: LakeStore,
  runIds: Iterable<RunId>,
  now: number,
  stallTimeoutMs: number | undefined,
): Promise<{ runId: RunId; status: RunStatus; updatedAt: string }[]> {
  const live = []
  for (const runId of runIds) {
    const parsed = RunManifestSchema.safeParse(await store.getJson(lakeKeys.manifest(runId)))
    if (!parsed.success) continue
    const manifest = parsed.data
    const timeout = stallTimeoutMs === undefined ? {} : { timeoutMs: stallTimeoutMs }
    if (isRunLive({ manifest, now, ...timeout }))
      live.push({ runId, status: manifest.status, updatedAt: manifest.updatedAt })
  }
  return live
}

/**
 * Replays one run, or every run found under the dt when `runId` is omitted. Refuses, before writing
 * anything, when one of them may still be extracting (`RunStillOpenError`), unless `force`.
 * `stallTimeoutMs`: the deployment's stall timeout (default 30 min), after which an open run is dead.
 */
export async function replay({
  store,
  dt,
  runId,
  force = false,
  stallTimeoutMs,
  ...rest
}: ParquetOptions & {
  store: LakeStore
  dt: Dt
  runId?: RunId
  force?: boolean
  stallTimeoutMs?: number
  now?: () => Date
}): Promise<ReplayRunResult[]> {
  const runs = await rawKeysByRun({ store, dt, runId })
  // A run id with nothing in raw is most likely a typo (or the wrong dt): say so rather than write an empty run.
  if (runId && !runs.has(runId)) throw new Error(`no raw objects for run ${runId} under dt=${dt}`)
  if (!force) {
    const now = (rest.now?.() ?? new Date()).getTime()
    const live = await liveRuns(store, runs.keys(), now, stallTimeoutMs)
    if (live.length > 0) throw new RunStillOpenError(live)
  }
  const results: ReplayRunResult[] = []
  for (const [id, raw] of [...runs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    results.push(await replayRun({ store, dt, runId: id, raw, ...rest }))
  }
  return results
}
