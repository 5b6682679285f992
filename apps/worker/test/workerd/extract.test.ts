/** @module Extraction in both API modes: raw objects read back with the AWS SDK, paging in parts, catalog dedup. */
import {
  type PlaylistItemsPage,
  playlistItemsPage,
  RawEnvelopeSchema,
  type RunId,
} from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import {
  actAsTransformer,
  deliver,
  drainExtract,
  extendedMode,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope, listKeys } from './support/s3-readback.ts'

const spotify = inject('spotify')
const started: RunId[] = []

beforeEach(async () => {
  await Promise.all([fakeAdmin('development').reset(), fakeAdmin('extended').reset()])
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

async function run(t: TestEnv, playlists: string[], dt = '2026-11-21') {
  const result = await startRun({
    env: t.env,
    sources: { playlists, myPlaylists: false },
    trigger: 'http',
    dt,
  })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  const batches = await drainExtract(t)
  return { runId: result.runId, batches }
}

/** Album and artist ids referred to by the catalog tracks of every playlist page in these envelopes. */
function referencedIds(pages: PlaylistItemsPage[]) {
  const albums = new Set<string>()
  const artists = new Set<string>()
  for (const page of pages) {
    for (const entry of page.items) {
      const content = (entry.item ?? entry.track) as {
        type?: string
        is_local?: boolean
        album?: { id?: string | null; artists?: { id?: string | null }[] }
        artists?: { id?: string | null }[]
      } | null
      if (content?.type !== 'track' || content.is_local) continue
      if (content.album?.id) albums.add(content.album.id)
      for (const a of [...(content.artists ?? []), ...(content.album?.artists ?? [])])
        if (a.id) artists.add(a.id)
    }
  }
  return { albums, artists }
}

describe('extraction in development mode', () => {
  it('writes one raw envelope per message, pages long playlists in parts, fetches each album and artist once', async () => {
    const t = testEnv()
    const { owned, other, collaborative, editorial } = spotify.development.playlists
    const [longList] = owned as [string]
    const { runId, batches } = await run(t, [...owned, ...collaborative, ...other, ...editorial])

    // Every message was acked explicitly; none retried.
    for (const result of batches) {
      expect(result.retryMessages).toEqual([])
      expect(result.explicitAcks.length).toBeGreaterThan(0)
    }

    const manifest = await manifestOf(runId)
    expect(manifest?.apiMode).toBe('development')
    const units = manifest?.units ?? {}
    // 260 items at CALL_BUDGET 3: the playlist with its first 100, two pages of 50, then the last 60.
    expect(units[`playlist:${longList}:0`]).toMatchObject({ status: 'extracted', itemsSeen: 200 })
    expect(units[`playlist:${longList}:1`]).toMatchObject({ status: 'extracted', itemsSeen: 60 })
    for (const id of [...owned.slice(1), ...collaborative])
      expect(units[`playlist:${id}:0`]?.status).toBe('extracted')
    // Someone else's playlist: metadata readable, items 403 -> failed, its metadata still kept in raw.
    for (const id of other) {
      expect(units[`playlist:${id}:0`]).toMatchObject({
        status: 'failed',
        rawKeys: [expect.stringContaining(id)],
      })
      expect(units[`playlist:${id}:0`]?.error).toMatch(/403/)
    }
    // Spotify's editorial playlists are gone for development-mode apps: 404, nothing to keep.
    for (const id of editorial) {
      expect(units[`playlist:${id}:0`]).toMatchObject({ status: 'failed', rawKeys: [] })
      expect(units[`playlist:${id}:0`]?.error).toMatch(/404/)
    }

    // The raw zone holds exactly the unit objects, under deterministic keys.
    const prefix = (source: string) => `raw/${source}/dt=2026-11-21/${runId}/`
    const playlistKeys = await listKeys(prefix('playlists'))
    expect(playlistKeys).toEqual(
      [
        `${prefix('playlists')}playlist-${longList}-p0000.json.gz`,
        `${prefix('playlists')}playlist-${longList}-p0001.json.gz`,
        ...[...owned.slice(1), ...collaborative, ...other].map(
          (id) => `${prefix('playlists')}playlist-${id}-p0000.json.gz`,
        ),
      ].sort(),
    )
    const envelopes = await Promise.all(playlistKeys.map(getEnvelope))
    const pages: PlaylistItemsPage[] = []
    for (const envelope of envelopes) {
      expect(RawEnvelopeSchema.parse(envelope)).toMatchObject({
        runId,
        dt: '2026-11-21',
        source: 'playlists',
      })
      expect(envelope.apiMode).toBe('development')
      for (const response of envelope.responses) {
        const body = JSON.parse(response.body) as PlaylistItemsPage & { items?: PlaylistItemsPage }
        if (response.endpoint === '/playlists/{id}/items') pages.push(body)
        else if (response.status === 200) {
          const first = playlistItemsPage(body as never) as PlaylistItemsPage | null
          if (first) pages.push(first)
        }
      }
    }
    // Parts carry the snapshot of part 0; the long playlist's pages cover offsets 0..259 without gaps.
    const long = envelopes.filter((e) => e.unit.type === 'playlist' && e.unit.playlistId === longList)
    const snapshots = new Set(long.map((e) => (e.unit.type === 'playlist' ? e.unit.snapshotId : null)))
    expect(snapshots.size).toBe(1)
    expect([...snapshots][0]).toMatch(/\S/)
    const offsets = long
      .flatMap((e) => e.responses)
      .filter((r) => r.endpoint === '/playlists/{id}/items')
      .map((r) => Number(r.params.offset))
    expect(offsets).toEqual([100, 150, 200, 250])

    // Each referenced album and artist is fetched exactly once (single GETs in development mode).
    const expected = referencedIds(pages)
    const requests = await fakeAdmin('development').requests()
    // `auto` probed the mode once for the whole run (the first batch), not once per batch.
    expect(requests.filter((r) => r.path === '/v1/tracks')).toHaveLength(1)
    expect(batches.length).toBeGreaterThan(3)
    const fetched = (kind: string) =>
      requests.filter((r) => new RegExp(`^/v1/${kind}/[^/]+$`).test(r.path)).map((r) => r.path.split('/')[3])
    expect(fetched('albums').sort()).toEqual([...expected.albums].sort())
    expect(fetched('artists').sort()).toEqual([...expected.artists].sort())
    expect(new Set(fetched('albums')).size).toBe(fetched('albums').length)
    expect(new Set(fetched('artists')).size).toBe(fetched('artists').length)

    const albumKeys = await listKeys(prefix('albums'))
    const albumEnvelopes = await Promise.all(albumKeys.map(getEnvelope))
    const albumIds = albumEnvelopes.flatMap((e) => (e.unit.type === 'albums' ? e.unit.ids : []))
    expect(albumIds.sort()).toEqual([...expected.albums].sort())
    for (const e of albumEnvelopes)
      expect(e.unit.type === 'albums' && e.unit.ids.length).toBeLessThanOrEqual(3)
    expect(await listKeys(prefix('artists'))).not.toEqual([])

    // One TRANSFORM message per raw object, then exactly one finalize once all are transformed.
    const rawKeys = Object.values(units).flatMap((u) => u.rawKeys)
    const transformKeys = t.transform.sent.flatMap((m) =>
      m.body.kind === 'transform' ? [m.body.rawKey] : [],
    )
    expect(transformKeys.sort()).toEqual([...rawKeys].sort())
    expect([...(await listKeys(`raw/`))].filter((k) => k.includes(runId)).sort()).toEqual([...rawKeys].sort())
    expect(await actAsTransformer(t)).toEqual([{ v: 1, kind: 'finalize', runId, dt: '2026-11-21' }])
  })
})

describe('extraction in extended mode', () => {
  it('uses the legacy /tracks pages and the batch endpoints in their largest batches', async () => {
    // The development-mode test fetched the same catalog ids a moment ago: a refresh age of 1 ms makes
    // every one due again in the catalog ledger, so this run fetches them all, in batches.
    const t = testEnv({ ...extendedMode(), CATALOG_REFRESH_DAYS: 1 / 86_400_000 })
    const { owned, collaborative } = spotify.extended.playlists
    const { runId, batches } = await run(t, [...owned, ...collaborative])
    for (const result of batches) expect(result.retryMessages).toEqual([])
    const manifest = await manifestOf(runId)
    expect(manifest?.apiMode).toBe('extended')
    const longList = owned[0] as string
    // 260 items: the playlist with its first 100, then pages of 100 (budget 3: one message suffices).
    expect(manifest?.units[`playlist:${longList}:0`]).toMatchObject({ status: 'extracted', itemsSeen: 260 })

    const requests = await fakeAdmin('extended').requests()
    expect(requests.filter((r) => r.path.endsWith('/items'))).toEqual([])
    expect(requests.filter((r) => /^\/v1\/(albums|artists)\/[^/]+$/.test(r.path))).toEqual([])
    const batchCalls = requests.filter((r) => /^\/v1\/(albums|artists)$/.test(r.path))
    const ids = (kind: string) =>
      batchCalls.filter((r) => r.path.endsWith(kind)).flatMap((r) => (r.query.ids ?? '').split(','))
    for (const r of batchCalls) {
      expect((r.query.ids ?? '').split(',').length).toBeLessThanOrEqual(r.path.endsWith('albums') ? 20 : 50)
    }
    expect(new Set(ids('albums')).size).toBe(ids('albums').length)
    expect(new Set(ids('artists')).size).toBe(ids('artists').length)
    // Fewer catalog messages than ids: batches filled across playlists, not one partial batch per playlist.
    const albumUnits = Object.keys(manifest?.units ?? {}).filter((k) => k.startsWith('albums:'))
    expect(albumUnits.length).toBe(Math.ceil(ids('albums').length / 20))
    expect(batchCalls.filter((r) => r.path === '/v1/albums')).toHaveLength(
      Math.ceil(ids('albums').length / 20),
    )
    expect(batchCalls.filter((r) => r.path === '/v1/artists')).toHaveLength(
      Math.ceil(ids('artists').length / 50),
    )

    const rawKeys = await listKeys(`raw/albums/dt=2026-11-21/${runId}/`)
    const envelope = await getEnvelope(rawKeys[0] as string)
    expect(envelope.responses[0]).toMatchObject({ endpoint: '/albums', status: 200 })
    expect(JSON.parse(envelope.responses[0]?.body ?? '{}').albums.length).toBeGreaterThan(1)
  })
})

describe('at-least-once delivery', () => {
  it('fetches a playlist listed twice (configured and in "my playlists") once, and skips a redelivered unit', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const [first, second] = spotify.development.playlists.owned as [string, string]
    const result = await startRun({
      env: t.env,
      sources: { playlists: [second], myPlaylists: true },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    const messages = [...t.extract.sent.map((m) => m.body)]
    await drainExtract(t)
    const requests = await fakeAdmin().requests()
    const metadataCalls = (id: string) => requests.filter((r) => r.path === `/v1/playlists/${id}`).length
    expect(metadataCalls(second)).toBe(1)
    expect(metadataCalls(first)).toBe(1)
    expect((await manifestOf(result.runId))?.units[`playlist:${first}:0`]?.status).toBe('extracted')

    // The queue delivers the same messages again: acked without a single call to Spotify.
    const { result: again, ids } = await deliver(t, messages)
    expect(again.explicitAcks).toEqual(ids)
    expect((await fakeAdmin().requests()).length).toBe(requests.length)
  })
})
