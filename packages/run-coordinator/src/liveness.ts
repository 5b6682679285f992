/** @module When an open run counts as stalled: the rule the coordinator's alarm applies (pure). */
import type { RunManifest } from '@spotify-lake/schemas'

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
