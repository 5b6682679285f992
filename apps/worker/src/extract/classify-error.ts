/** @module What a failed extraction means for its message: the failure table's verdict, and the delays it implies. */
import { classifyFailure, type Failure, retryDelay } from '@spotify-lake/run-coordinator/failures'

export type { Failure } from '@spotify-lake/run-coordinator/failures'

/** Queues cap `delaySeconds` at 12 hours. */
export const MAX_DELAY_SECONDS = 43_200

/**
 * One row of `FAILURE_RULES` (packages/run-coordinator/src/failures.ts) decides: `defer` waits until
 * Spotify's instant, `transient` retries with backoff, `permanent` records the unit (and, for a
 * run-wide cause such as `invalid_client`, fails the whole run at once).
 */
export function classifyError(error: unknown): Failure {
  return classifyFailure(error)
}

/** Seconds until `retryAt`, at least 1 and at most the queue's 12 h cap. */
export function delayUntil(retryAt: Date, now: Date = new Date()): number {
  const seconds = Math.ceil((retryAt.getTime() - now.getTime()) / 1000)
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, seconds))
}

/**
 * Redelivery backoff by delivery attempt: 10 s, 20 s, 40 s ... capped at 5 minutes. The client has
 * already retried inside the message (up to 4 times over ~15 s), and a message that secured pages
 * hands the rest on instead of retrying, so a longer wait only delays the run.
 */
export function backoffSeconds(attempts: number): number {
  return retryDelay({ attempt: attempts, base: 10, cap: 300 })
}
