/** @module Unit tests of `auto` mode detection, the shared concurrency limit and byte accounting (stub fetch). */
import { ApiStatsSchema } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createSpotifyClient,
  type ModeOption,
  RateLimitedError,
  SpotifyConfigError,
  SpotifyForbiddenError,
} from '../../src/index.ts'
import {
  CLIENT,
  createFakeClock,
  createStubFetch,
  json,
  type StubHandler,
  spotifyError,
} from './support/stub-fetch.ts'

const AnySchema = z.unknown()

function setup(api: StubHandler, mode: ModeOption = 'auto', concurrency = 4) {
  const stub = createStubFetch({ api })
  const client = createSpotifyClient({
    ...CLIENT,
    mode,
    concurrency,
    fetch: stub.fetch,
    ...createFakeClock(),
  })
  return { stub, client }
}

const probeAnswer =
  (status: number): StubHandler =>
  ({ url }) =>
    url.pathname === '/v1/tracks'
      ? status === 200
        ? json({ tracks: [null] })
        : spotifyError(status, 'gone')
      : json({})

describe('auto mode', () => {
  it.each([
    [403, 'development'],
    [404, 'development'],
    [410, 'development'],
    [200, 'extended'],
  ] as const)('reads a Get Several Tracks answer of %i as %s', async (status, mode) => {
    const { client, stub } = setup(probeAnswer(status))
    expect(client.mode()).toBeUndefined()
    await expect(client.detectMode()).resolves.toBe(mode)
    await expect(client.detectMode()).resolves.toBe(mode)
    expect(client.mode()).toBe(mode)
    expect(stub.apiRequests().map((r) => `${r.url.pathname}?${r.url.searchParams}`)).toEqual([
      '/v1/tracks?ids=4iV5W9uYEdYUVa79Axb7Rh',
    ])
  })

  it('stamps every raw response with the detected mode, probing once for concurrent first calls', async () => {
    const { client, stub } = setup(probeAnswer(403))
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.request({ endpoint: '/anything', schema: AnySchema })),
    )
    expect(results.map((r) => r.raw.mode)).toEqual(Array(5).fill('development'))
    expect(stub.apiRequests().filter((r) => r.url.pathname === '/v1/tracks')).toHaveLength(1)
  })

  it('does not remember a failed probe: the next call detects again', async () => {
    let calls = 0
    const { client, stub } = setup((request) =>
      ++calls === 1 ? spotifyError(400, 'bad') : probeAnswer(200)(request),
    )
    await expect(client.detectMode()).rejects.toThrow('400')
    expect(client.mode()).toBeUndefined()
    await expect(client.detectMode()).resolves.toBe('extended')
    expect(stub.apiRequests()).toHaveLength(2)
  })

  it('skips the probe when the mode is given', async () => {
    const { client, stub } = setup(() => json({}), 'extended')
    expect(client.mode()).toBe('extended')
    await client.request({ endpoint: '/anything', schema: AnySchema })
    expect(stub.apiRequests().map((r) => r.url.pathname)).toEqual(['/v1/anything'])
  })

  it('rejects an unknown mode and bad numbers with clear errors', () => {
    expect(() => setup(() => json({}), 'dev' as ModeOption)).toThrow(SpotifyConfigError)
    expect(() => createSpotifyClient({ ...CLIENT, timeoutMs: -1 })).toThrow('timeoutMs')
    expect(() => createSpotifyClient({ ...CLIENT, apiBaseUrl: 'nope' })).toThrow('apiBaseUrl')
    expect(() => createSpotifyClient({ ...CLIENT, concurrency: 0 })).toThrow('concurrency')
  })

  it('a long 429 on the probe surfaces as RateLimitedError', async () => {
    const { client } = setup(() => spotifyError(429, 'later', { 'retry-after': '3600' }))
    await expect(client.detectMode()).rejects.toBeInstanceOf(RateLimitedError)
  })
})

describe('concurrency limit', () => {
  it('never has more requests in flight than `concurrency`, across every kind of call', async () => {
    let inFlight = 0
    let peak = 0
    const { client, stub } = setup(
      async ({ url }) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 2))
        inFlight--
        return url.pathname.startsWith('/v1/tracks/') ? spotifyError(404, 'no such track') : json({})
      },
      'development',
      3,
    )
    const ids = Array.from({ length: 12 }, (_, i) => `track${String(i).padStart(17, '0')}`)
    await Promise.all([
      client.getTracks(ids),
      ...Array.from({ length: 8 }, () => client.request({ endpoint: '/x', schema: AnySchema })),
    ])
    expect(stub.apiRequests()).toHaveLength(20)
    expect(peak).toBe(3)
  })
})

describe('accounting', () => {
  it('counts response bytes as UTF-8 bytes on the wire, per endpoint and in total', async () => {
    const bodies: Record<string, string> = { '/v1/a': '{"name":"Sigur Rós ♫"}', '/v1/b': '{"ok":true}' }
    const { client } = setup(({ url }) => new Response(bodies[url.pathname]), 'development')
    const a = await client.request({ endpoint: '/a', schema: AnySchema })
    await client.request({ endpoint: '/b', schema: AnySchema })
    await client.request({ endpoint: '/b', schema: AnySchema })
    const utf8 = (text: string) => new TextEncoder().encode(text).byteLength
    expect(a.raw.body).toBe(bodies['/v1/a'])
    expect(client.stats()).toMatchObject({
      calls: 3,
      byEndpoint: { 'GET /a': 1, 'GET /b': 2 },
      bytes: utf8(bodies['/v1/a'] ?? '') + 2 * utf8(bodies['/v1/b'] ?? ''),
      tokenRequests: 1,
      tokenRefreshes: 1,
      retries: 0,
      waitMs: 0,
    })
    // Run manifests store it as `api`: the shared schema must accept it unchanged in what it models.
    expect(ApiStatsSchema.parse(client.stats())).toMatchObject({ calls: 3, bytes: client.stats().bytes })
  })

  it('keeps a 403 from a single playlist as a typed error, not as a removed endpoint', async () => {
    const { client } = setup(() => spotifyError(403, 'Forbidden'), 'development')
    const pages = client.playlistItems('37i9dQZF1DXcBWIGoYBM5M')
    await expect(pages.next()).rejects.toBeInstanceOf(SpotifyForbiddenError)
  })
})
