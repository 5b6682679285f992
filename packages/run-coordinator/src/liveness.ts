/** @module When an open run counts as stalled: the rule the coordinator's alarm applies (pure). */
import { CLOSED_RUN_STATUSES, type RunManifest } from '@spotify-lake/schemas'

/**
 * How long an open run may go without any report before it is closed as `abandoned`. Longer than the
 * longest wait between two attempts of a live run: the extract backoff cap (5 min), the transformer's
 * (15 min), plus delivery delays.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 30 * 60 * 1000

/**
 * The instant (ms since the epoch) from which an open run is stalled: `timeoutMs` after its last
 * activity, or after the end of the rate-limit block it waits out (a run deferred for 20 hours is
 * waiting, not stalled).
 */
export function stallDeadline({
  manifest,
  activityAt,
  timeoutMs,
}: {
  manifest: Pick<RunManifest, 'status' | 'blockedUntil'>
  activityAt: number
  timeoutMs: number
}): number {
  const blocked =
    manifest.status === 'deferred' && manifest.blockedUntil ? Date.parse(manifest.blockedUntil) : 0
  return Math.max(activityAt, Number.isNaN(blocked) ? 0 : blocked) + timeoutMs
}

/**
 * Whether a run, as its mirrored manifest (`runs/<run_id>.json`) shows it, may still be extracting:
 * not closed, and not yet past its stall deadline (`now` and the result in ms since the epoch). A run
 * whose coordinator died with it (a killed local stack) stays `running` in S3 forever; past the deadline
 * it is dead, and rebuilding it from raw is safe. `timeoutMs` is the deployment's
 * RUN_STALL_TIMEOUT_SECONDS x 1000 (30 min by default).
 */
export function isRunLive({
  manifest,
  now,
  timeoutMs = DEFAULT_STALL_TIMEOUT_MS,
}: {
  manifest: Pick<RunManifest, 'status' | 'blockedUntil' | 'updatedAt'>
  now: number
  timeoutMs?: number
}): boolean {
  if (CLOSED_RUN_STATUSES.has(manifest.status)) return false
  return now < stallDeadline({ manifest, activityAt: Date.parse(manifest.updatedAt), timeoutMs })
}
