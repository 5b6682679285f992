/** @module Request accounting of one client (`client.stats()`), for run manifests and benchmarks. */

/** Counters since the client was created. A superset of the schemas' `ApiStats`. */
export interface ClientStats {
  /** HTTP requests sent to the Web API, retries included (token requests are not counted here). */
  calls: number
  /** `calls` per `METHOD /path/{template}`. */
  byEndpoint: Record<string, number>
  /** Requests repeated after a 429, 5xx, network error, timeout, bad JSON or 401. */
  retries: number
  /** 429 answers received (API and token endpoint). */
  rateLimited: number
  /** Sleeps taken because of a 429 (each honouring `Retry-After`). */
  rateLimitWaits: number
  /** Milliseconds slept for 429s. */
  rateLimitWaitMs: number
  /** Milliseconds slept in total (429 waits plus 5xx/network backoff). */
  waitMs: number
  /** Response body bytes received from the Web API. */
  bytes: number
  /** Requests to the token endpoint. */
  tokenRequests: number
  /** Access tokens obtained (client credentials and refresh-token grants). */
  tokenRefreshes: number
  /** Times Spotify rotated the refresh token. */
  refreshTokenRotations: number
}

export interface Accounting {
  call(endpoint: string): void
  bytes(count: number): void
  retry(): void
  rateLimited(): void
  waited(ms: number, reason: 'rate-limit' | 'backoff'): void
  tokenRequest(): void
  tokenRefreshed(): void
  refreshTokenRotated(): void
  snapshot(): ClientStats
}

export function createAccounting(): Accounting {
  const stats: ClientStats = {
    calls: 0,
    byEndpoint: {},
    retries: 0,
    rateLimited: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    waitMs: 0,
    bytes: 0,
    tokenRequests: 0,
    tokenRefreshes: 0,
    refreshTokenRotations: 0,
  }
  return {
    call(endpoint) {
      stats.calls++
      stats.byEndpoint[endpoint] = (stats.byEndpoint[endpoint] ?? 0) + 1
    },
    bytes(count) {
      stats.bytes += count
    },
    retry() {
      stats.retries++
    },
    rateLimited() {
      stats.rateLimited++
    },
    waited(ms, reason) {
      stats.waitMs += ms
      if (reason === 'rate-limit') {
        stats.rateLimitWaits++
        stats.rateLimitWaitMs += ms
      }
    },
    tokenRequest() {
      stats.tokenRequests++
    },
    tokenRefreshed() {
      stats.tokenRefreshes++
    },
    refreshTokenRotated() {
      stats.refreshTokenRotations++
    },
    snapshot() {
      return { ...stats, byEndpoint: { ...stats.byEndpoint } }
    },
  }
}
