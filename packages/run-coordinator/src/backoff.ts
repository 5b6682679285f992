/** @module The pipeline's one retry backoff: queue redeliveries of both Workers and the coordinator's S3 mirror. */

/**
 * How long to wait before retry number `attempt`: `base` for the first (attempt 1), doubling per attempt,
 * never more than `cap`. Units are the caller's (seconds for `message.retry({ delaySeconds })`,
 * milliseconds for an alarm). No jitter: a queue spreads its redeliveries itself, and one Durable Object
 * has one alarm.
 *
 * @param attempt 1-based (a queue message's `attempts`); 0 or less counts as 1
 * @example
 * message.retry({ delaySeconds: retryDelay({ attempt: message.attempts, base: 10, cap: 300 }) })
 */
export function retryDelay({ attempt, base, cap }: { attempt: number; base: number; cap: number }): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1))
}
