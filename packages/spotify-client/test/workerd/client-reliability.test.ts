/** @module The client in workerd against an in-worker fake (`app.fetch`): tokens, 429s, 5xx, broken bodies, timeouts. */
import { describe, expect, it } from 'vitest'
import { createFakeSpotify, type FakeSpotifyOptions } from '../../src/fake/index.ts'
import {
  collect,
  createSpotifyClient,
  RateLimitedError,
  type SpotifyClientOptions,
  SpotifyInvalidResponseError,
  SpotifyTimeoutError,
} from '../../src/index.ts'
import { createFakeClock } from '../client/support/stub-fetch.ts'

function setup(fakeOptions: FakeSpotifyOptions = {}, clientOptions: Partial<SpotifyClientOptions> = {}) {
  const clock = createFakeClock()
  const fake = createFakeSpotify({ seed: 'workerd-client', now: clock.now, ...fakeOptions })
  const client = createSpotifyClient({
    ...fake.credentials,
    mode: 'development',
    apiBaseUrl: 'http://fake.internal/v1',
    accountsBaseUrl: 'http://fake.internal',
    fetch: (input, init) => fake.app.fetch(new Request(input, init)),
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    ...clientOptions,
  })
  const api = () => fake.requests.filter((r) => r.path.startsWith('/v1/'))
  return { clock, fake, client, api }
}

describe('spotify-client reliability in workerd', () => {
  it('pages playlist items, refreshing an expired token and reporting the rotated refresh token', async () => {
    const rotated: string[] = []
    const { fake, client, clock, api } = setup(
      { sizes: [130], rotateRefreshToken: true },
      { onRefreshTokenRotated: (token) => rotated.push(token) },
    )
    const id = fake.catalog.playlists[0]?.id ?? ''
    let items = 0
    for await (const page of client.playlistItems(id)) {
      items += page.data.items.length
      if (items === 50) fake.expireTokens()
      if (items === 100) clock.advance(3600_000)
    }
    expect(items).toBe(130)
    expect(api().map((r) => r.status)).toEqual([200, 401, 200, 200])
    expect(rotated).toHaveLength(3)
    expect(client.stats()).toMatchObject({ tokenRefreshes: 3, refreshTokenRotations: 3, retries: 1 })
  })

  it('sleeps through short 429s and stops at a long one with retryAt', async () => {
    const { fake, client, api } = setup({ faults: { rateLimit: { requests: 5, windowSeconds: 30 } } })
    const ids = fake.catalog.tracks.slice(0, 12).map((t) => t.id)
    const tracks = await client.getTracks(ids)
    expect(tracks.items.map((t) => t?.id)).toEqual(ids)
    const limited = api().filter((r) => r.status === 429).length
    expect(limited).toBeGreaterThan(0)
    expect(client.stats()).toMatchObject({ calls: 12 + limited, rateLimited: limited })

    fake.setFaults({ rateLimit: { requests: 0, retryAfterSeconds: 7200 } })
    const error = await client.getTracks(ids.slice(0, 1)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7200)
  })

  it('retries 5xx, malformed and truncated bodies and still returns everything', async () => {
    const { fake, client, api } = setup(
      {
        faults: {
          serverErrors: { rate: 0.2 },
          malformedJson: { rate: 0.15 },
          truncatedBody: { rate: 0.15 },
        },
      },
      { maxRetries: 8 },
    )
    const ids = fake.catalog.tracks.slice(0, 40).map((t) => t.id)
    const tracks = await client.getTracks(ids)
    expect(tracks.items.map((t) => t?.id)).toEqual(ids)
    const faulted = api().filter((r) => r.faults.some((f) => f !== 'latency')).length
    expect(faulted).toBeGreaterThan(0)
    expect(client.stats()).toMatchObject({ calls: 40 + faulted, retries: faulted })
  })

  it('reports a body that stays malformed, with its raw bytes', async () => {
    const { fake, client } = setup({ faults: { malformedJson: { rate: 1 } } }, { maxRetries: 1 })
    const error = await collect(client.albumTracks(fake.catalog.albums[0]?.id ?? '')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyInvalidResponseError)
    expect((error as SpotifyInvalidResponseError).raw?.body.endsWith(',}')).toBe(true)
  })

  it('times out requests that take longer than timeoutMs', async () => {
    const { fake, client } = setup(
      { faults: { latency: { ms: 300 } } },
      {
        timeoutMs: 30,
        maxRetries: 1,
      },
    )
    const error = await client.getArtists([fake.catalog.artists[0]?.id ?? '']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyTimeoutError)
    expect(client.stats()).toMatchObject({ calls: 2, retries: 1 })
  })
})
