/** @module Tests of every fault kind, path scoping, the admin API and FAKE_SPOTIFY_FAULTS. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RecordedRequest } from '../../src/fake/index.ts'
import { faultsFromEnv, type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { api, getToken, postToken } from './support/helpers.ts'

describe('fault injection', () => {
  let server: RunningFakeSpotify
  let clock = Date.UTC(2026, 0, 1)
  let token = ''
  let path = ''
  const slept: number[] = []
  beforeAll(async () => {
    server = await startFakeSpotify({
      seed: 'faults',
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms)
      },
    })
    token = await getToken(server.url, 'app')
    path = `/tracks/${server.fake.catalog.tracks[0]?.id}`
  })
  afterEach(() => server.fake.setFaults({}))
  afterAll(() => server.close())

  it('rate limit: N requests per rolling window, then 429 with Retry-After until the window frees', async () => {
    server.fake.setFaults({ rateLimit: { requests: 3, windowSeconds: 30 } })
    for (let i = 0; i < 3; i++) {
      expect((await api(server.url, token, path)).status).toBe(200)
      clock += 1000
    }
    const limited = await api(server.url, token, path)
    expect(limited.status).toBe(429)
    // The first request (3 s ago) leaves the 30 s window in 27 s.
    expect(limited.headers.get('retry-after')).toBe('27')
    expect(await limited.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } })
    expect(server.fake.requests.at(-1)).toMatchObject({ status: 429, faults: ['rate-limit'] })
    clock += 27_000
    expect((await api(server.url, token, path)).status).toBe(200)
  })

  it('rate limit with a fixed long Retry-After (86400 s)', async () => {
    server.fake.setFaults({ rateLimit: { requests: 0, retryAfterSeconds: 86_400 } })
    const res = await api(server.url, token, path)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('86400')
  })

  it('rate limit as the per-developer quota: the 429 body says reason QUOTA_EXCEEDED', async () => {
    server.fake.setFaults({ rateLimit: { requests: 0, retryAfterSeconds: 600, quota: true } })
    const limited = await api(server.url, token, path)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('600')
    expect(await limited.json()).toEqual({
      error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' },
    })
  })

  it('server errors: statuses in turn, 502 as an HTML page', async () => {
    server.fake.setFaults({ serverErrors: { rate: 1 } })
    const responses = [
      await api(server.url, token, path),
      await api(server.url, token, path),
      await api(server.url, token, path),
    ]
    expect(responses.map((r) => r.status)).toEqual([500, 502, 503])
    expect(await responses[0]?.json()).toEqual({ error: { status: 500, message: 'Server error.' } })
    expect(responses[1]?.headers.get('content-type')).toContain('text/html')
    expect(await responses[2]?.json()).toEqual({ error: { status: 503, message: 'Service unavailable' } })
  })

  it('a fraction of server errors is seeded: the same seed gives the same sequence', async () => {
    const statuses = async (): Promise<number[]> => {
      const other = await startFakeSpotify({
        seed: 'faults',
        faults: { serverErrors: { rate: 0.3, statuses: [503] } },
      })
      try {
        const t = await getToken(other.url, 'app')
        const out: number[] = []
        for (let i = 0; i < 40; i++) out.push((await api(other.url, t, path)).status)
        return out
      } finally {
        await other.close()
      }
    }
    const first = await statuses()
    expect(await statuses()).toEqual(first)
    expect(first).toContain(200)
    expect(first).toContain(503)
  })

  it('faults can be scoped to a path pattern (also the token endpoint)', async () => {
    server.fake.setFaults({ serverErrors: { rate: 1, statuses: [500], path: '/v1/tracks/*' } })
    expect((await api(server.url, token, path)).status).toBe(500)
    expect((await api(server.url, token, `/artists/${server.fake.catalog.artists[0]?.id}`)).status).toBe(200)
    server.fake.setFaults({ serverErrors: { rate: 1, statuses: [503], path: '/api/token' } })
    expect((await postToken(server.url, { grant_type: 'client_credentials' })).status).toBe(503)
    expect((await api(server.url, token, path)).status).toBe(200)
  })

  it('latency delays matching requests by the configured milliseconds', async () => {
    slept.length = 0
    server.fake.setFaults({ latency: { ms: 250 } })
    expect((await api(server.url, token, path)).status).toBe(200)
    expect(slept).toEqual([250])
    expect(server.fake.requests.at(-1)?.faults).toEqual(['latency'])
  })

  it('malformed JSON: a 200 whose body does not parse', async () => {
    server.fake.setFaults({ malformedJson: { rate: 1 } })
    const res = await api(server.url, token, path)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.length).toBeGreaterThan(100)
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })

  it('truncated body: the stream breaks off mid-body', async () => {
    server.fake.setFaults({ truncatedBody: { rate: 1 } })
    const res = await api(server.url, token, path)
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
    server.fake.setFaults({})
    expect((await api(server.url, token, path)).status).toBe(200)
  })

  it('admin API: POST /__fake/faults (validated), GET /__fake/requests, POST /__fake/reset', async () => {
    const bad = await fetch(`${server.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ rateLimit: { requests: -1 } }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: expect.stringContaining('Invalid fake Spotify faults') })
    const typo = await fetch(`${server.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ ratelimit: {} }),
    })
    expect(typo.status).toBe(400)
    const set = await fetch(`${server.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ serverErrors: { rate: 1, statuses: [503] } }),
    })
    expect(set.status).toBe(200)
    expect((await api(server.url, token, path)).status).toBe(503)
    const log = (await (await fetch(`${server.url}/__fake/requests`)).json()) as RecordedRequest[]
    expect(log.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1${path}`,
      status: 503,
      auth: 'app',
      faults: ['server-error'],
    })
    expect(log.some((r) => r.path.startsWith('/__fake'))).toBe(false)
    const unknown = await fetch(`${server.url}/__fake/playlists/nope/mutate`, { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect((await fetch(`${server.url}/__fake/reset`, { method: 'POST' })).status).toBe(200)
    expect(server.fake.requests).toEqual([])
    expect((await api(server.url, token, path)).status).toBe(200)
    // Tokens survive a reset but not POST /__fake/tokens/expire.
    expect((await fetch(`${server.url}/__fake/tokens/expire`, { method: 'POST' })).status).toBe(200)
    expect((await api(server.url, token, path)).status).toBe(401)
    token = await getToken(server.url, 'app')
  })
})

describe('FAKE_SPOTIFY_FAULTS for the Node starter', () => {
  it('parses JSON faults and rejects bad input clearly', () => {
    expect(faultsFromEnv({ FAKE_SPOTIFY_FAULTS: '{"latency":{"ms":5}}' })).toMatchObject({
      latency: { ms: 5 },
    })
    expect(faultsFromEnv({})).toBeUndefined()
    expect(() => faultsFromEnv({ FAKE_SPOTIFY_FAULTS: '{nope' })).toThrow(/not valid JSON/)
    expect(() => faultsFromEnv({ FAKE_SPOTIFY_FAULTS: '{"serverErrors":{"rate":2}}' })).toThrow(
      /Invalid fake Spotify faults/,
    )
  })

  it('applies the env faults when no faults option is given', async () => {
    const previous = process.env.FAKE_SPOTIFY_FAULTS
    process.env.FAKE_SPOTIFY_FAULTS = JSON.stringify({ rateLimit: { requests: 0, retryAfterSeconds: 7 } })
    const server = await startFakeSpotify({ seed: 'env' })
    try {
      const token = await getToken(server.url, 'app')
      const res = await api(server.url, token, `/artists/${server.fake.catalog.artists[0]?.id}`)
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')
    } finally {
      if (previous === undefined) delete process.env.FAKE_SPOTIFY_FAULTS
      else process.env.FAKE_SPOTIFY_FAULTS = previous
      await server.close()
    }
  })

  it('real latency: a client timeout shorter than the injected delay aborts the request', async () => {
    const server = await startFakeSpotify({ seed: 'slow', faults: { latency: { ms: 5000 } } })
    try {
      const token = await getToken(server.url, 'app')
      const res = fetch(`${server.url}/v1/artists/${server.fake.catalog.artists[0]?.id}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(200),
      })
      await expect(res).rejects.toThrow(/abort|timeout/i)
    } finally {
      await server.close()
    }
  })
})
