/** @module Starting a run (cron and POST /refresh): take the lock from no live run, open the manifest, enqueue one message per unit. */
import {
  classifyFailure,
  failureRule,
  globalStub,
  type PlannedUnit,
  runStub,
  unitKey,
} from '@spotify-lake/run-coordinator'
import {
  type Dt,
  type ExtractMessage,
  type ExtractUnit,
  newRunId,
  type RunFailure,
  type RunId,
  type RunManifest,
  toDt,
} from '@spotify-lake/schemas'
import type { Sources } from '../config.ts'
import { log } from '../log.ts'
import { enqueueUnits, maybeFinalize } from './queues.ts'

export interface StartRunOptions {
  env: Env
  sources: Sources
  trigger: RunManifest['trigger']
  force?: boolean
  dt?: Dt
  now?: Date
  /** An open run with no report for this long is closed as `abandoned` (RUN_STALL_TIMEOUT_SECONDS). */
  stallTimeoutMs?: number
}

export type StartRunResult =
  | { started: true; runId: RunId; dt: Dt; units: PlannedUnit[] }
  /** Another live run holds the lock. */
  | { started: false; busy: true; activeRunId: RunId; since: string; activityAt: string | null }
  /** The run could not start; it is closed as `failed` with the reason, and the lock is free again. */
  | { started: false; busy: false; runId: RunId; dt: Dt; failure: RunFailure; transient: boolean }

/** A lock whose run never began (its starter died in between) is dead after this long. */
const UNBEGUN_LOCK_GRACE_MS = 60_000

/** The first units of a run: the user's playlist list and each configured playlist. */
export function planSources(sources: Sources): ExtractUnit[] {
  const units: ExtractUnit[] = []
  if (sources.myPlaylists) units.push({ type: 'my-playlists' })
  for (const playlistId of new Set(sources.playlists))
    units.push({ type: 'playlist', playlistId, offset: 0, part: 0 })
  return units
}

/**
 * Takes the active-run lock. The lock belongs to a live run only: a holder that is closed, or that
 * stopped reporting for longer than its stall timeout (its coordinator closes it as `abandoned` when
 * asked), gives it up to the new run.
 */
async function acquireLock(env: Env, runId: RunId, force: boolean, now: Date) {
  const global = globalStub(env.RUN_COORDINATOR)
  const lock = await global.acquire({ runId, force })
  if (lock.acquired) return { acquired: true as const }
  const holder = await runStub(env.RUN_COORDINATOR, lock.activeRunId).liveness()
  const dead =
    holder.state === 'closed' ||
    (holder.state === 'unknown' && now.getTime() - Date.parse(lock.since) > UNBEGUN_LOCK_GRACE_MS)
  if (dead) {
    log.warn('run.lock-recovered', { from: lock.activeRunId, state: holder.state, status: holder.status })
    const retried = await global.acquire({ runId, force, replacing: lock.activeRunId })
    if (retried.acquired) return { acquired: true as const }
    return {
      acquired: false as const,
      activeRunId: retried.activeRunId,
      since: retried.since,
      activityAt: null,
    }
  }
  return {
    acquired: false as const,
    activeRunId: lock.activeRunId,
    since: lock.since,
    activityAt: holder.activityAt,
  }
}

export async function startRun({
  env,
  sources,
  trigger,
  force = false,
  now = new Date(),
  dt = toDt(now),
  stallTimeoutMs,
}: StartRunOptions): Promise<StartRunResult> {
  const runId = newRunId({ now })
  const lock = await acquireLock(env, runId, force, now)
  if (!lock.acquired) return { started: false, busy: true, ...lock }

  const run = runStub(env.RUN_COORDINATOR, runId)
  try {
    const begun = await run.begin({ runId, dt, trigger, force, stallTimeoutMs })
    // The coordinator could not write the manifest to S3: it closed the run and gave the lock back.
    if (begun.failure) return failedStart(runId, dt, begun.failure)
    const planned = planSources(sources).map((unit) => ({ key: unitKey(unit), unit }))
    // Registered before they are sent: a run is never "complete" while a planned unit is in flight.
    const units = await run.planUnits(planned)
    const message = (unit: ExtractUnit): ExtractMessage => ({ v: 1, kind: 'extract', runId, dt, force, unit })
    await enqueueUnits(
      env,
      units.map((u) => message(u.unit)),
    )
    // A run with nothing to extract is complete at once.
    await maybeFinalize(env, { runId, dt, claimant: 'start' })
    return { started: true, runId, dt, units }
  } catch (error) {
    return closeFailedStart({ run, env, runId, dt, error })
  }
}

function failedStart(runId: RunId, dt: Dt, failure: RunFailure): StartRunResult {
  const transient = failureRule(failure.reason)?.kind === 'transient'
  log.error('run.start-failed', { runId, reason: failure.reason, error: failure.message })
  return { started: false, busy: false, runId, dt, failure, transient }
}

/** Whatever broke after the lock was taken (a queue send, the coordinator): close the run, free the lock. */
async function closeFailedStart({
  run,
  env,
  runId,
  dt,
  error,
}: {
  run: ReturnType<typeof runStub>
  env: Env
  runId: RunId
  dt: Dt
  error: unknown
}): Promise<StartRunResult> {
  const { reason, message, action } = classifyFailure(error)
  const failure = { reason, message: `the run could not start: ${message}`, action }
  const closed = await run.close({ status: 'failed', failure }).catch(() => null)
  // The coordinator itself may be what failed: the lock must not outlive the run anyway.
  if (!closed)
    await globalStub(env.RUN_COORDINATOR)
      .release(runId)
      .catch(() => {})
  return failedStart(runId, dt, closed?.failure ?? { ...failure, at: new Date().toISOString() })
}
