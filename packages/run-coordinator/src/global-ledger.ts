/** @module App-wide state (the `global` instance): the active-run lock and Spotify's "blocked until". */
import type { RunId } from '@spotify-lake/schemas'
import type { SyncKv } from './run-ledger.ts'
import type { AcquireResult, BlockReason } from './types.ts'

interface Lock {
  runId: RunId
  since: string
}

/**
 * Last resort only: the caller asks the holder's coordinator whether it is live (closed and stalled
 * runs give the lock up at once); a lock whose run never even began expires after this long.
 */
export const DEFAULT_LOCK_TTL_MS = 23 * 60 * 60 * 1000

export class GlobalLedger {
  readonly #kv: SyncKv
  readonly #now: () => Date
  readonly #lockTtlMs: number

  constructor({
    kv,
    now = () => new Date(),
    lockTtlMs = DEFAULT_LOCK_TTL_MS,
  }: { kv: SyncKv; now?: () => Date; lockTtlMs?: number }) {
    this.#kv = kv
    this.#now = now
    this.#lockTtlMs = lockTtlMs
  }

  /**
   * Takes the lock unless another run holds a fresh one; `force` takes it over, and so does
   * `replacing` when the lock is still held by exactly that run (found dead by the caller).
   * Re-acquiring your own lock succeeds.
   */
  acquire({ runId, force, replacing }: { runId: RunId; force: boolean; replacing?: RunId }): AcquireResult {
    const lock = this.#kv.get<Lock>('lock')
    const now = this.#now()
    const fresh = lock !== undefined && now.getTime() - Date.parse(lock.since) < this.#lockTtlMs
    const takeOver = force || (replacing !== undefined && lock?.runId === replacing)
    if (lock && fresh && lock.runId !== runId && !takeOver) {
      return { acquired: false, activeRunId: lock.runId, since: lock.since }
    }
    if (lock?.runId !== runId) this.#kv.put<Lock>('lock', { runId, since: now.toISOString() })
    return { acquired: true }
  }

  /** Only the holder releases: a run that lost the lock to a forced run leaves the new holder alone. */
  release(runId: RunId): void {
    if (this.#kv.get<Lock>('lock')?.runId === runId) this.#kv.delete('lock')
  }

  activeRun(): Lock | null {
    return this.#kv.get<Lock>('lock') ?? null
  }

  /** The instant Spotify lets the app in again, or null when it is not blocked. */
  blockedUntil(): string | null {
    const until = this.#kv.get<string>('blockedUntil')
    if (until === undefined) return null
    if (Date.parse(until) <= this.#now().getTime()) {
      this.#kv.delete('blockedUntil')
      this.#kv.delete('blockReason')
      return null
    }
    return until
  }

  /** Why the app is blocked: the 30 s window or the developer account's quota; null when it is not. */
  blockReason(): BlockReason | null {
    if (this.blockedUntil() === null) return null
    return this.#kv.get<BlockReason>('blockReason') ?? 'rate_limited'
  }

  /** Keeps the later of the stored and the given instant (and its reason); returns the one in force. */
  blockUntil(retryAt: string, reason: BlockReason = 'rate_limited'): string {
    if (Number.isNaN(Date.parse(retryAt))) throw new RangeError(`not an ISO instant: ${retryAt}`)
    const current = this.blockedUntil()
    if (current && Date.parse(current) >= Date.parse(retryAt)) return current
    const until = new Date(retryAt).toISOString()
    this.#kv.put('blockedUntil', until)
    this.#kv.put('blockReason', reason)
    return until
  }

  /** Lifts the block early (an operator who knows better, or tests). */
  unblock(): void {
    this.#kv.delete('blockedUntil')
    this.#kv.delete('blockReason')
  }
}
