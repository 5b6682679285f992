/** @module Unit tests of retries, backoff, 429 handling, timeouts and response validation (stub fetch, fake clock). */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  backoffDelay,
  createSpotifyClient,
  parseRetryAfter,
  RateLimitedError,
  SpotifyForbiddenError,
  SpotifyInvalidResponseError,
  SpotifyNotFoundError,
  SpotifyRequestError,
  SpotifyTimeoutError,
  SpotifyUnavailableError,
} from '../../src/index.ts'
import {
  CLIENT,
  createFakeClock,
  createStubFetch,
  json,
  type StubHandler,
  spotifyError,
} from './support/stub-fetch.ts'

const OkSchema = z.object({ ok: z.literal(true), n: z.int() })
const okBody = { ok: true, n: 1 }

function setup(
  api: StubHandler,
  options: { maxRetries?: number; maxWaitMs?: number; timeoutMs?: number } = {},
) {
  const clock = createFakeClock()
  const stub = createStubFetch({ api })
  const client = createSpotifyClient({
    ...CLIENT,
    mode: 'development',
    fetch: stub.fetch,
    ...clock,
    ...options,
  })
  const get = () =>
    client.request({
      endpoint: '/things/{id}',
      pathParams: { id: 'abc' },
      params: { x: '1' },
      schema: OkSchema,
    })
  return { clock, stub, client, get }
}

/** Answers the scripted responses in turn, then the last one forever. */
const script = (...responses: (() => Response)[]): StubHandler => {
  let index = 0
  return () => {
    const next = responses[Math.min(index++, responses.length - 1)]
    if (!next) throw new Error('empty script')
    return next()
  }
}

describe('backoff', () => {
  it('draws full jitter below an exponential ceiling that is capped', () => {
    expect(backoffDelay({ attempt: 0, random: () => 0.5 })).toBe(250)
    expect(backoffDelay({ attempt: 3, random: () => 0.5 })).toBe(2000)
    expect(backoffDelay({ attempt: 10, random: () => 0.999 })).toBe(7992)
    expect(backoffDelay({ attempt: 10, random: () => 0 })).toBe(0)
  })
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T00:00:00Z')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter('Sun, 22 Nov 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
})

describe('request', () => {
  it('returns validated data with the raw exchange byte for byte', async () => {
    const body = '\uFEFF{"ok":true,"n":1, "extra":"kept"}'
    const { get, stub } = setup(() => new Response(body, { status: 200 }))
    const { data, raw } = await get()
    expect(data).toEqual({ ok: true, n: 1 })
    expect(raw).toMatchObject({
      url: 'https://api.test/v1/things/abc?x=1',
      endpoint: '/things/{id}',
      params: { id: 'abc', x: '1' },
      status: 200,
      fetchedAt: '2026-11-22T00:00:00.000Z',
      mode: 'development',
    })
    expect(raw.body).toBe(body)
    expect(stub.apiRequests()[0]?.headers.get('authorization')).toMatch(/^Bearer access-token-/)
  })

  it('retries 5xx with exponential backoff and full jitter, then succeeds', async () => {
    const { get, clock, client } = setup(
      script(
        () => spotifyError(500, 'Server error.'),
        () => new Response('<html>502</html>', { status: 502 }),
        () => spotifyError(503, 'Service unavailable'),
        () => json(okBody),
      ),
    )
    await expect(get()).resolves.toMatchObject({ data: okBody })
    expect(clock.sleeps).toEqual([250, 500, 1000])
    expect(client.stats()).toMatchObject({ calls: 4, retries: 3, waitMs: 1750, rateLimitWaits: 0 })
  })

  it('gives up on 5xx after maxRetries with SpotifyUnavailableError', async () => {
    const { get, stub } = setup(() => spotifyError(503, 'Service unavailable'), { maxRetries: 2 })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyUnavailableError)
    expect(error).toMatchObject({ status: 503, endpoint: 'GET /things/{id}' })
    expect((error as Error).message).toContain('Service unavailable')
    expect(stub.apiRequests()).toHaveLength(3)
  })

  it('retries network errors and reports them as SpotifyUnavailableError when they persist', async () => {
    let calls = 0
    const { get } = setup(() => {
      calls++
      if (calls < 3) throw new TypeError('fetch failed')
      return json(okBody)
    })
    await expect(get()).resolves.toMatchObject({ data: okBody })
    const { get: failing } = setup(() => {
      throw new TypeError('connection reset')
    })
    const error = await failing().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyUnavailableError)
    expect((error as Error).message).toContain('connection reset')
  })

  it('sleeps through a short Retry-After and counts the wait', async () => {
    const { get, clock, client } = setup(
      script(
        () => spotifyError(429, 'API rate limit exceeded', { 'retry-after': '3' }),
        () => json(okBody),
      ),
    )
    await expect(get()).resolves.toMatchObject({ data: okBody })
    expect(clock.sleeps).toEqual([3000])
    expect(client.stats()).toMatchObject({
      calls: 2,
      rateLimited: 1,
      rateLimitWaits: 1,
      rateLimitWaitMs: 3000,
    })
  })

  it('throws RateLimitedError with retryAt for a Retry-After longer than maxWaitMs, without sleeping', async () => {
    const { get, clock, stub } = setup(() =>
      spotifyError(429, 'API rate limit exceeded', { 'retry-after': '86400' }),
    )
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    const limited = error as RateLimitedError
    expect(limited.retryAfterSeconds).toBe(86_400)
    expect(limited.retryAt.toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(limited.status).toBe(429)
    expect(clock.sleeps).toEqual([])
    expect(stub.apiRequests()).toHaveLength(1)
  })

  it('pauses every queued request of the client after a 429, not just the one that got it', async () => {
    const clock = createFakeClock()
    const sentAt: number[] = []
    const stub = createStubFetch({
      api: () => {
        sentAt.push(clock.now())
        return sentAt.length === 1 ? spotifyError(429, 'slow down', { 'retry-after': '5' }) : json(okBody)
      },
    })
    const client = createSpotifyClient({
      ...CLIENT,
      mode: 'development',
      fetch: stub.fetch,
      concurrency: 1,
      ...clock,
    })
    const get = () => client.request({ endpoint: '/things', schema: OkSchema })
    await Promise.all([get(), get(), get()])
    const t0 = sentAt[0] ?? 0
    expect(sentAt).toEqual([t0, t0 + 5000, t0 + 5000, t0 + 5000])
    expect(clock.sleeps).toEqual([5000])
    expect(client.stats()).toMatchObject({
      calls: 4,
      rateLimited: 1,
      rateLimitWaits: 1,
      rateLimitWaitMs: 5000,
    })
  })

  it('turns a request that never answers into SpotifyTimeoutError after every retry', async () => {
    const hang: StubHandler = ({ signal }) =>
      new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    const { get, stub, client } = setup(hang, { timeoutMs: 5, maxRetries: 2 })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyTimeoutError)
    expect(stub.apiRequests()).toHaveLength(3)
    expect(stub.apiRequests().every((r) => r.signal?.aborted)).toBe(true)
    expect(client.stats().retries).toBe(2)
  })

  it('times out a fetch that ignores its abort signal', async () => {
    const { get } = setup(() => new Promise<Response>(() => {}), { timeoutMs: 5, maxRetries: 0 })
    await expect(get()).rejects.toBeInstanceOf(SpotifyTimeoutError)
  })

  it('retries malformed JSON, then reports it with the raw body', async () => {
    const { get } = setup(
      script(
        () => new Response('{"ok":true,', { status: 200 }),
        () => json(okBody),
      ),
    )
    await expect(get()).resolves.toMatchObject({ data: okBody })
    const { get: broken, stub } = setup(() => new Response('{"ok":tru', { status: 200 }), { maxRetries: 1 })
    const error = await broken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyInvalidResponseError)
    expect(error).toMatchObject({
      path: '',
      endpoint: 'GET /things/{id}',
      raw: { body: '{"ok":tru', status: 200 },
    })
    expect(stub.apiRequests()).toHaveLength(2)
  })

  it('reports a schema mismatch at once with the failing path and the raw response', async () => {
    const { get, stub } = setup(() => json({ ok: true, n: 'one' }))
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyInvalidResponseError)
    const invalid = error as SpotifyInvalidResponseError
    expect(invalid.path).toBe('n')
    expect(invalid.message).toContain('GET /things/{id}')
    expect(invalid.message).toContain('`n`')
    expect(invalid.raw?.body).toBe('{"ok":true,"n":"one"}')
    expect(stub.apiRequests()).toHaveLength(1)
  })

  it('maps 404, 403 and 400 to typed errors without retrying', async () => {
    for (const [status, type] of [
      [404, SpotifyNotFoundError],
      [403, SpotifyForbiddenError],
      [400, SpotifyRequestError],
    ] as const) {
      const { get, stub } = setup(() => spotifyError(status, `message ${status}`))
      const error = await get().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(type)
      expect(error).toMatchObject({
        status,
        message: `GET /things/{id}: Spotify answered ${status}: message ${status}`,
      })
      expect(stub.apiRequests()).toHaveLength(1)
    }
  })
})
