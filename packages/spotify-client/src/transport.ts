/** @module HTTP transport: one request with timeouts, bounded retries, 429 handling and accounting. */
import type { Accounting } from './accounting.ts'
import { backoffDelay, parseRetryAfter } from './backoff.ts'
import {
  describeError,
  errorForStatus,
  isQuotaExceeded,
  oauthErrorCode,
  RateLimitedError,
  SpotifyAuthError,
  type SpotifyError,
  SpotifyTimeoutError,
  SpotifyUnavailableError,
  spotifyMessage,
} from './errors.ts'
import { type Exchange, type ExchangeOutcome, exchangeOnce } from './exchange.ts'
import type { Limiter } from './limiter.ts'
import type { Secrets } from './secrets.ts'
import type { FetchLike, Runtime } from './types.ts'

export type { Exchange }

/** `retry: true` for transient body problems (truncated or malformed JSON). */
export type Decoded<T> = { ok: true; value: T } | { ok: false; retry: boolean; error: SpotifyError }

export interface SendRequest<T> {
  /** Token requests skip the limiter, are accounted apart and are never answered by a token refresh. */
  kind: 'api' | 'token'
  method: 'GET' | 'POST'
  url: string
  /** `METHOD /path/{template}`, used for accounting and error messages. */
  endpoint: string
  /** Evaluated per attempt, so a retry after a 401 picks up the fresh token. */
  headers: () => Promise<Record<string, string>>
  body?: string | undefined
  /** Non-2xx statuses handed to `decode` instead of thrown (e.g. 404 of a single GET). */
  accept?: readonly number[] | undefined
  decode: (exchange: Exchange) => Decoded<T>
  /** Called once on a 401; resolves when a fresh token is in place. */
  onUnauthorized?: (() => Promise<void>) | undefined
}

export interface TransportOptions {
  fetch: FetchLike
  runtime: Runtime
  limiter: Limiter
  accounting: Accounting
  secrets: Secrets
  timeoutMs?: number
  maxRetries?: number
  /** Longest `Retry-After` the client sleeps through; longer ones throw `RateLimitedError`. */
  maxWaitMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** How long a quota 429 (`reason: QUOTA_EXCEEDED`) blocks at least, whatever its `Retry-After` says. */
  quotaBlockMs?: number
}

/** One hour: the per-developer quota is no 30 s window, and Spotify does not say when it resets. */
export const DEFAULT_QUOTA_BLOCK_MS = 3_600_000

export interface Transport {
  send<T>(request: SendRequest<T>): Promise<T>
}

/** One attempt's outcome; `blocked`: not sent, a 429 paused the client for longer than `maxWaitMs`. */
type Attempt = ExchangeOutcome | { kind: 'blocked'; waitMs: number }

export function createTransport({
  fetch,
  runtime,
  limiter,
  accounting,
  secrets,
  timeoutMs = 10_000,
  maxRetries = 4,
  maxWaitMs = 30_000,
  backoffBaseMs = 500,
  backoffMaxMs = 8_000,
  quotaBlockMs = DEFAULT_QUOTA_BLOCK_MS,
}: TransportOptions): Transport {
  const wait = async (ms: number, reason: 'rate-limit' | 'backoff'): Promise<void> => {
    accounting.waited(ms, reason)
    await runtime.sleep(ms)
  }
  const jitter = (attempt: number) =>
    backoffDelay({ attempt, baseMs: backoffBaseMs, capMs: backoffMaxMs, random: runtime.random })

  const exchange = (request: SendRequest<unknown>, headers: Record<string, string>) =>
    exchangeOnce({
      fetch,
      request,
      headers,
      timeoutMs,
      now: runtime.now,
      onBytes: (count) => {
        if (request.kind === 'api') accounting.bytes(count)
      },
    })

  const sendOnce = async (
    request: SendRequest<unknown>,
    headers: Record<string, string>,
  ): Promise<Attempt> => {
    if (request.kind === 'token') {
      accounting.tokenRequest()
      return exchange(request, headers)
    }
    return limiter.run(async (): Promise<Attempt> => {
      // Checked inside the slot: requests queued before a 429 arrived must not slip through.
      const paused = limiter.pausedFor()
      if (paused > maxWaitMs) return { kind: 'blocked', waitMs: paused }
      if (paused > 0) await wait(paused, 'rate-limit')
      accounting.call(request.endpoint)
      const result = await exchange(request, headers)
      if (result.kind === 'response' && result.exchange.status === 429) {
        // Set before the slot is released, so the next queued request already sees it.
        const askedMs = parseRetryAfter(result.retryAfter, runtime.now())
        if (askedMs !== undefined) limiter.pauseUntil(runtime.now() + askedMs)
      }
      return result
    })
  }

  return {
    async send<T>(request: SendRequest<T>): Promise<T> {
      const { endpoint } = request
      let retries = 0
      let refreshedAfter401 = false
      const backoff = async (): Promise<void> => {
        const ms = jitter(retries)
        retries++
        accounting.retry()
        await wait(ms, 'backoff')
      }
      for (;;) {
        // Headers (the token) before taking a slot: a token request must never wait for a slot
        // held by the very request that needs the token.
        const attempt = await sendOnce(request as SendRequest<unknown>, await request.headers())

        if (attempt.kind === 'blocked') {
          const retryAfterSeconds = Math.ceil(attempt.waitMs / 1000)
          throw new RateLimitedError(
            `${endpoint}: not sent, rate limited for another ${retryAfterSeconds} s`,
            {
              endpoint,
              retryAfterSeconds,
              retryAt: new Date(runtime.now() + attempt.waitMs),
            },
          )
        }
        if (attempt.kind === 'timeout' || attempt.kind === 'network') {
          if (retries < maxRetries) {
            await backoff()
            continue
          }
          if (attempt.kind === 'timeout') {
            throw new SpotifyTimeoutError(
              `${endpoint}: no answer within ${timeoutMs} ms (${retries + 1} attempts)`,
              {
                endpoint,
              },
            )
          }
          throw new SpotifyUnavailableError(
            secrets.scrub(
              `${endpoint}: network error after ${retries + 1} attempts: ${describeError(attempt.error)}`,
            ),
            { endpoint, cause: secrets.safeCause(attempt.error) },
          )
        }

        const { exchange: answer, retryAfter } = attempt
        const { status } = answer
        if ((status >= 200 && status < 300) || request.accept?.includes(status)) {
          const decoded = request.decode(answer)
          if (decoded.ok) return decoded.value
          if (decoded.retry && retries < maxRetries) {
            await backoff()
            continue
          }
          throw decoded.error
        }
        // Scrub before `spotifyMessage` shortens the text: a cut-off secret would no longer match.
        const detail = `${endpoint}: Spotify answered ${status}${spotifyMessage(secrets.scrub(answer.body))}`
        if (status === 401 && request.onUnauthorized && !refreshedAfter401) {
          // The token may have been revoked or expired early: get a fresh one, retry exactly once.
          refreshedAfter401 = true
          accounting.retry()
          await request.onUnauthorized()
          continue
        }
        if (status === 429) {
          accounting.rateLimited()
          const now = runtime.now()
          const askedMs = parseRetryAfter(retryAfter, now)
          if (isQuotaExceeded(answer.body)) {
            // The developer account's quota, not the rolling window: a long block, never slept through.
            const blockMs = Math.max(askedMs ?? 0, quotaBlockMs)
            if (request.kind === 'api') limiter.pauseUntil(now + blockMs)
            const retryAfterSeconds = Math.ceil(blockMs / 1000)
            throw new RateLimitedError(
              `${detail}; the developer account's quota is used up (QUOTA_EXCEEDED): retry after ${retryAfterSeconds} s`,
              { endpoint, retryAfterSeconds, retryAt: new Date(now + blockMs), quotaExceeded: true },
            )
          }
          const waitMs = askedMs ?? jitter(retries)
          if (waitMs > maxWaitMs || retries >= maxRetries) {
            const retryAfterSeconds = Math.ceil(waitMs / 1000)
            throw new RateLimitedError(`${detail}; retry after ${retryAfterSeconds} s`, {
              endpoint,
              retryAfterSeconds,
              retryAt: new Date(now + waitMs),
            })
          }
          // API requests wait at the shared pause set inside the slot; the rest wait here.
          if (askedMs === undefined || request.kind === 'token') await wait(waitMs, 'rate-limit')
          retries++
          accounting.retry()
          continue
        }
        if (status >= 500 && retries < maxRetries) {
          await backoff()
          continue
        }
        if (request.kind === 'token' && status < 500) {
          throw new SpotifyAuthError(detail, {
            endpoint,
            status,
            oauthError: oauthErrorCode(secrets.scrub(answer.body)),
          })
        }
        throw errorForStatus(status, detail, endpoint)
      }
    },
  }
}
