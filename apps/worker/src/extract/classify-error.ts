/** @module What a failed extraction means for its message: defer, give up on the unit, or retry later. */
import {
  RateLimitedError,
  SpotifyConfigError,
  SpotifyError,
  SpotifyForbiddenError,
  SpotifyInvalidResponseError,
  SpotifyNotFoundError,
  SpotifyRequestError,
} from '@spotify-lake/spotify-client'

/** Queues cap `delaySeconds` at 12 hours. */
export const MAX_DELAY_SECONDS = 43_200

export type Failure =
  /** Spotify said "not before `retryAt`" (a long 429): wait it out without calling again. */
  | { kind: 'deferred'; retryAt: Date; message: string }
  /** Will never work for this run (404, 403 not owned, 400, a payload off the schema): record and ack. */
  | { kind: 'permanent'; message: string }
  /** Might work later (5xx, timeouts, S3 hiccups, an expired grant): retry with backoff. */
  | { kind: 'transient'; message: string }

export function classifyError(error: unknown): Failure {
  const message = describe(error)
  if (error instanceof RateLimitedError) return { kind: 'deferred', retryAt: error.retryAt, message }
  // Unparsable JSON (`path` '') outlived the client's retries: a broken transfer, worth another delivery.
  if (error instanceof SpotifyInvalidResponseError && error.path === '') return { kind: 'transient', message }
  if (
    error instanceof SpotifyNotFoundError ||
    error instanceof SpotifyForbiddenError ||
    error instanceof SpotifyRequestError ||
    error instanceof SpotifyConfigError ||
    error instanceof SpotifyInvalidResponseError
  ) {
    return { kind: 'permanent', message }
  }
  return { kind: 'transient', message }
}

/** Seconds until `retryAt`, at least 1 and at most the queue's 12 h cap. */
export function delayUntil(retryAt: Date, now: Date = new Date()): number {
  const seconds = Math.ceil((retryAt.getTime() - now.getTime()) / 1000)
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, seconds))
}

/** Exponential backoff by delivery attempt: 30 s, 60 s, 120 s ... capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1))
}

/**
 * The client's errors are already scrubbed of tokens; other errors are reduced to their class and
 * message (no stack, no cause chain that could hold a request with headers).
 */
function describe(error: unknown): string {
  if (error instanceof SpotifyError || error instanceof Error)
    return `${error.name}: ${error.message}`.slice(0, 500)
  return String(error).slice(0, 500)
}
