/** @module Retry timing: exponential backoff with full jitter, and `Retry-After` parsing. */

export interface BackoffOptions {
  /** Retries already made (0 before the first retry). */
  attempt: number
  baseMs?: number
  capMs?: number
  random: () => number
}

/**
 * Full jitter (a uniform draw from 0 to the exponential ceiling): concurrent clients that failed
 * together spread out instead of retrying in lock-step.
 */
export function backoffDelay({ attempt, baseMs = 500, capMs = 8_000, random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt)
  return Math.floor(random() * ceiling)
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds (what Spotify sends) or an HTTP date.
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}
