/** @module Reliability against the fake Spotify's injected faults over real HTTP: 429s, 5xx, timeouts, broken bodies. */
import { playlistItemsPage } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { RateLimitedError, SpotifyInvalidResponseError, SpotifyTimeoutError } from '../../src/index.ts'
import { startHarness } from './support/fake-harness.ts'

const faulted = (requests: { faults: string[] }[], kind: string) =>
  requests.filter((r) => r.faults.includes(kind)).length

describe('faults over HTTP', () => {
  it('sleeps through short 429s (Retry-After) and still fetches everything with the minimum of successful calls', async () => {
    const h = await startHarness({
      fake: { mode: 'development', faults: { rateLimit: { requests: 10, windowSeconds: 30 } } },
      client: { mode: 'development' },
    })
    const ids = h.running.fake.catalog.tracks.slice(0, 40).map((t) => t.id)
    const tracks = await h.client.getTracks(ids)
    expect(tracks.items.map((t) => t?.id)).toEqual(ids)
    const stats = h.client.stats()
    const limited = h.apiRequests().filter((r) => r.status === 429).length
    expect(limited).toBeGreaterThan(0)
    expect(stats.rateLimited).toBe(limited)
    expect(stats.calls).toBe(h.apiRequests().length)
    expect(stats.calls - stats.rateLimited).toBe(40)
    expect(stats.rateLimitWaits).toBeGreaterThan(0)
    expect(stats.rateLimitWaitMs).toBeGreaterThan(0)
    expect(Math.max(...h.clock.sleeps)).toBeLessThanOrEqual(30_000)
  })

  it('throws RateLimitedError for a Retry-After beyond maxWaitMs, and sends nothing more until then', async () => {
    const h = await startHarness({
      fake: { mode: 'development', faults: { rateLimit: { requests: 0, retryAfterSeconds: 86_400 } } },
      client: { mode: 'development' },
    })
    const id = h.running.fake.catalog.tracks[0]?.id ?? ''
    const started = h.clock.now()
    const error = await h.client.getTracks([id]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterSeconds).toBe(86_400)
    expect((error as RateLimitedError).retryAt.getTime()).toBe(started + 86_400_000)
    expect(h.clock.sleeps).toEqual([])

    const again = await h.client.getTracks([id]).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(RateLimitedError)
    expect(h.apiRequests()).toHaveLength(1)
  })

  it('retries 5xx answers (JSON and HTML) with jittered backoff until the data is complete', async () => {
    const h = await startHarness({
      fake: {
        mode: 'development',
        sizes: [237],
        faults: { serverErrors: { rate: 0.3, statuses: [500, 502, 503] } },
      },
      client: { mode: 'development', maxRetries: 6 },
    })
    const [playlist] = h.running.fake.catalog.playlists
    let items = 0
    for await (const page of h.client.playlistItems(playlist?.id ?? '')) items += page.data.items.length
    const ids = h.running.fake.catalog.tracks.slice(0, 30).map((t) => t.id)
    const tracks = await h.client.getTracks(ids)
    expect(items).toBe(237)
    expect(tracks.items.map((t) => t?.id)).toEqual(ids)

    const errors = faulted(h.apiRequests(), 'server-error')
    expect(errors).toBeGreaterThan(0)
    const stats = h.client.stats()
    expect(stats.retries).toBe(errors)
    expect(stats.calls).toBe(5 + 30 + errors)
    expect(h.clock.sleeps).toHaveLength(errors)
    expect(h.clock.sleeps.every((ms) => ms >= 0 && ms <= 8_000)).toBe(true)
  })

  it('gives up with SpotifyTimeoutError when every attempt outlasts timeoutMs', async () => {
    const h = await startHarness({
      // Only API calls are slow, and by far more than the timeout: the token call must not be what times out.
      fake: { mode: 'development', faults: { latency: { ms: 5_000, path: '/v1/*' } } },
      client: { mode: 'development', timeoutMs: 1_000, maxRetries: 1 },
    })
    const error = await h.client
      .getTracks([h.running.fake.catalog.tracks[0]?.id ?? ''])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyTimeoutError)
    expect(h.client.stats()).toMatchObject({ calls: 2, retries: 1 })
  })

  it('retries malformed and truncated bodies, and reports a body that stays malformed', async () => {
    const h = await startHarness({
      fake: { mode: 'development', faults: { malformedJson: { rate: 0.25 }, truncatedBody: { rate: 0.25 } } },
      client: { mode: 'development', maxRetries: 8 },
    })
    const ids = h.running.fake.catalog.tracks.slice(0, 40).map((t) => t.id)
    const tracks = await h.client.getTracks(ids)
    expect(tracks.items.map((t) => t?.id)).toEqual(ids)
    const broken = faulted(h.apiRequests(), 'malformed-json') + faulted(h.apiRequests(), 'truncated-body')
    expect(faulted(h.apiRequests(), 'malformed-json')).toBeGreaterThan(0)
    expect(faulted(h.apiRequests(), 'truncated-body')).toBeGreaterThan(0)
    expect(h.client.stats()).toMatchObject({ retries: broken, calls: 40 + broken })

    h.running.fake.setFaults({ malformedJson: { rate: 1, path: '/v1/artists/*' } })
    const error = await h.client
      .getArtists([h.running.fake.catalog.artists[0]?.id ?? ''])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyInvalidResponseError)
    expect(error).toMatchObject({ path: '', endpoint: 'GET /artists/{id}', raw: { status: 200 } })
    expect((error as SpotifyInvalidResponseError).raw?.body.endsWith(',}')).toBe(true)
    expect(h.client.stats().byEndpoint['GET /artists/{id}']).toBe(9)
  })

  it('reads a page with entries off the schema: those are null, the rest typed, paging goes on, raw keeps them', async () => {
    const h = await startHarness({
      fake: { mode: 'development', sizes: [237], faults: { offSchemaItems: { rate: 0.1 } } },
      client: { mode: 'development' },
    })
    const [playlist] = h.running.fake.catalog.playlists
    const id = playlist?.id ?? ''
    const first = await h.client.getPlaylist(id)
    const pages = [playlistItemsPage(first.data)!]
    const raws = [first.raw.body]
    for await (const page of h.client.playlistItems(id, { startOffset: pages[0]!.items.length })) {
      pages.push(page.data)
      raws.push(page.raw.body)
    }
    const entries = pages.flatMap((p) => p.items)
    // Every position arrived: no page failed, none was skipped.
    expect(entries).toHaveLength(237)
    const unreadable = entries.filter((e) => e === null).length
    expect(unreadable).toBeGreaterThan(0)
    expect(unreadable).toBeLessThan(237)
    // The raw bodies hold each unreadable entry as sent, for the transformer to reject with its reason.
    const audiobookEntries = raws.reduce((n, body) => {
      const json = JSON.parse(body) as { items?: unknown }
      const page = (json as { type?: string }).type === 'playlist' ? playlistItemsPage(json as never) : json
      return (
        n +
        ((page as { items: { item?: { type?: string }; track?: { type?: string } }[] }).items ?? []).filter(
          (e) => (e.item ?? e.track)?.type === 'audiobook',
        ).length
      )
    }, 0)
    expect(audiobookEntries).toBe(unreadable)
    expect(faulted(h.apiRequests(), 'off-schema-item')).toBeGreaterThan(0)
  })
})
