/** @module Starting a run (cron and POST /refresh): take the lock from no live run, open the manifest, enqueue one message per unit. */
import {
  classifyFailure,
  failureRule,
  globalStub,
  type PlannedUnit,
  runStub,
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
  unitKey,
} from '@spotify-lake/schemas'
import { spotifyErrorOf } from '@spotify-lake/token-broker'
import { type RunAccounts, runAccounts } from '../accounts/plan.ts'
import { ExtractConfigSchema, readConfig, userSourceOn } from '../config.ts'
import { log } from '../log.ts'
import { catalogPolicy } from '../sources/catalog/policy.ts'
import { planSources, type RunSources } from './plan-sources.ts'
import { advanceAfterUnit, enqueueUnits } from './queues.ts'

export { planSources, type RunSources }

export interface StartRunOptions {
  env: Env
  sources: RunSources
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
  /** Nothing to start: no account is connected and no playlist is configured (no run, no lock). */
  | { started: false; busy: false; noAccount: true; message: string }

/** A lock whose run never began (its starter died in between) is dead after this long. */
const UNBEGUN_LOCK_GRACE_MS = 60_000

/**
 * Why a run for `myPlaylists` has no account to read, when accounts were expected: every known account
 * needs consent again, or the secret was refused (`reauth_required`), or Spotify could not be asked about
 * the secret (its transient reason). Null when there is an account to read, or none was ever known.
 */
function noUsableAccount(sources: RunSources, planned: RunAccounts): Omit<RunFailure, 'at'> | null {
  if (!userSourceOn(sources) || planned.usable.length > 0) return null
  const { seed } = planned
  if (seed.seeded === false && seed.why === 'unavailable') {
    const { reason, action } = classifyFailure(spotifyErrorOf(seed.error))
    return {
      reason,
      action,
      message: `SPOTIFY_REFRESH_TOKEN could not be checked with Spotify: ${seed.error.message}`,
    }
  }
  const reasons = planned.accounts.map((a) => `account ${a.accountId}: ${a.failure?.message ?? a.status}`)
  if (seed.seeded === false && seed.why === 'refused') {
    reasons.push(`SPOTIFY_REFRESH_TOKEN was refused: ${seed.error.message}`)
  }
  if (reasons.length === 0) return null
  const rule = failureRule('reauth_required')
  return {
    reason: 'reauth_required',
    message: `no Spotify account can be read: ${reasons.join('; ')}`,
    ...(rule ? { action: rule.action } : {}),
  }
}

/** Warnings every run of these accounts carries: consents about to expire, accounts and secrets refused. */
function accountWarnings(planned: RunAccounts): string[] {
  const warnings = planned.accounts.flatMap((a) =>
    a.warning ? [`account ${a.accountId}: ${a.warning}`] : [],
  )
  if (planned.seed.seeded === false && planned.seed.why === 'refused') {
    warnings.push(`SPOTIFY_REFRESH_TOKEN was refused by Spotify (${planned.seed.error.message})`)
  }
  return warnings
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

/**
 * Starts one run (the cron trigger and `POST /refresh`): plans the first units from `sources` and the
 * connected accounts, takes the global lock (unless a live run holds it; `force` only replaces a run that
 * stopped reporting), opens the run's manifest in its RunCoordinator and sends one EXTRACT message per unit.
 *
 * @returns `started: true` with the run id, dt and planned units; `busy` with the run holding the lock;
 *   `noAccount` when there is nothing to extract (no run, no lock); or `busy: false` with the `failure`
 *   of a run that was opened and closed as `failed` at once (no readable account, the manifest could not be
 *   written, a queue send failed), `transient` when trying again later may help. Nothing is thrown for
 *   these: the lock is free again and the failure is in `runs/<run_id>.json`.
 * @throws the config error (`readConfig`: missing or bad vars and secrets) before any run exists
 */
export async function startRun({
  env,
  sources,
  trigger,
  force = false,
  now = new Date(),
  dt = toDt(now),
  stallTimeoutMs,
}: StartRunOptions): Promise<StartRunResult> {
  const config = readConfig(ExtractConfigSchema, env)
  const planned = await runAccounts({ env, config, now })
  const blocked = noUsableAccount(sources, planned)
  const first = planSources(sources, planned.usable)
  if (first.length === 0 && !blocked) {
    return {
      started: false,
      busy: false,
      noAccount: true,
      message:
        "nothing to extract: no Spotify account is connected (open this Worker's /connect, or set SPOTIFY_REFRESH_TOKEN) and no playlist is configured",
    }
  }

  const runId = newRunId({ now })
  const lock = await acquireLock(env, runId, force, now)
  if (!lock.acquired) return { started: false, busy: true, ...lock }

  const run = runStub(env.RUN_COORDINATOR, runId)
  try {
    const accounts = Object.fromEntries(planned.accounts.map((a) => [a.accountId, a]))
    const warnings = accountWarnings(planned)
    // A run that may find catalog ids (not a plays poll) fetches them against the catalog ledger; until
    // the mode is detected (`auto`), development's one call per id is the budget's safe count.
    const findsCatalog = first.some((unit) => unit.type !== 'recently-played')
    const mode = config.SPOTIFY_API_MODE === 'auto' ? 'development' : config.SPOTIFY_API_MODE
    const catalog = findsCatalog ? catalogPolicy(config, mode) : undefined
    const begun = await run.begin({ runId, dt, trigger, force, stallTimeoutMs, accounts, warnings, catalog })
    // The coordinator could not write the manifest to S3: it closed the run and gave the lock back.
    if (begun.failure) return failedStart(runId, dt, begun.failure)
    if (blocked && first.length === 0) {
      // No account can be read (consent gone, or the secret refused): the run fails now, visibly, and
      // nothing is sent to Spotify.
      const closed = await run.close({ status: 'failed', failure: blocked })
      return failedStart(runId, dt, closed?.failure ?? { ...blocked, at: now.toISOString() })
    }
    const units = await run.planUnits(first.map((unit) => ({ key: unitKey(unit), unit })))
    const message = (unit: ExtractUnit): ExtractMessage => ({ v: 1, kind: 'extract', runId, dt, force, unit })
    await enqueueUnits(
      env,
      units.map((u) => message(u.unit)),
    )
    // A run with nothing to extract is complete at once.
    await advanceAfterUnit(env, { runId, dt, claimant: 'start' })
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
