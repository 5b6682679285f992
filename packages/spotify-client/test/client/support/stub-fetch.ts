/** @module Test doubles for unit tests: a fake clock and a scripted `fetch` that records every request. */
import type { FetchLike } from '../../../src/index.ts'

export interface FakeClock {
  now: () => number
  /** Resolves at once and moves the clock, so backoff and Retry-After cost no real time. */
  sleep: (ms: number) => Promise<void>
  random: () => number
  sleeps: number[]
  advance: (ms: number) => void
}

export function createFakeClock({
  start = Date.parse('2026-11-22T00:00:00Z'),
  random = 0.5,
} = {}): FakeClock {
  let time = start
  const sleeps: number[] = []
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms)
      time += ms
    },
    random: () => random,
    sleeps,
    advance: (ms) => {
      time += ms
    },
  }
}

export interface StubRequest {
  method: string
  url: URL
  headers: Headers
  body: string
  signal: AbortSignal | null | undefined
}

export type StubHandler = (request: StubRequest) => Response | Promise<Response>

export interface StubFetch {
  fetch: FetchLike
  requests: StubRequest[]
  /** Requests to the Web API only (not the token endpoint). */
  apiRequests: () => StubRequest[]
  tokenRequests: () => StubRequest[]
}

export const json = (body: unknown, init: ResponseInit = {}): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
    ...init,
  })

export const spotifyError = (
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response => new Response(JSON.stringify({ error: { status, message } }), { status, headers })

let tokenCounter = 0
/** A token endpoint answer with a unique, long access token (so redaction can be checked). */
export const tokenResponse = (extra: Record<string, unknown> = {}): Response =>
  json({
    access_token: `access-token-${++tokenCounter}-${'x'.repeat(24)}`,
    token_type: 'Bearer',
    expires_in: 3600,
    ...extra,
  })

/**
 * `api` answers /v1 requests; the token endpoint answers with fresh tokens unless `token` is given.
 * Both see the parsed request.
 */
export function createStubFetch({ api, token }: { api: StubHandler; token?: StubHandler }): StubFetch {
  const requests: StubRequest[] = []
  const isToken = (r: StubRequest) => r.url.pathname === '/api/token'
  const fetch: FetchLike = async (input, init) => {
    const request: StubRequest = {
      method: init.method ?? 'GET',
      url: new URL(input),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
      signal: init.signal,
    }
    requests.push(request)
    if (isToken(request)) return token ? token(request) : tokenResponse()
    return api(request)
  }
  return {
    fetch,
    requests,
    apiRequests: () => requests.filter((r) => !isToken(r)),
    tokenRequests: () => requests.filter(isToken),
  }
}

export const CLIENT = {
  clientId: 'unit-client-id',
  clientSecret: 'unit-client-secret-0123456789abcdef',
  apiBaseUrl: 'https://api.test/v1',
  accountsBaseUrl: 'https://accounts.test',
} as const
