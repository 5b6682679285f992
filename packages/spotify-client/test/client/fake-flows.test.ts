/** @module Client vs the fake Spotify over HTTP: paging, batching, fallback, mode detection, minimum API calls. */
import { describe, expect, it } from 'vitest'
import type { RecordedRequest } from '../../src/fake/index.ts'
import { collect, MODE_PROFILES } from '../../src/index.ts'
import { runCatalogFlows } from './support/catalog-flows.ts'
import { countBy, minimumCalls, pagesFor, readablePlaylists } from './support/catalog-math.ts'
import { startHarness } from './support/fake-harness.ts'

/** Playlist sizes around the page boundaries of both modes (50 and 100), plus an empty one. */
const SIZES = [0, 1, 50, 51, 100, 101, 237, 20]

/** `/v1/playlists/<id>/items` -> `GET /playlists/{id}/items`, the client's accounting key. */
const templateOf = (request: RecordedRequest): string =>
  `${request.method} ${request.path.replace(/^\/v1/, '').replace(/\/[0-9A-Za-z]{22}(?=\/|$)/g, '/{id}')}`

describe.each(['development', 'extended'] as const)('%s mode over HTTP', (mode) => {
  it('pages, batches and costs exactly the minimum number of API calls', async () => {
    const h = await startHarness({ fake: { mode, sizes: SIZES }, client: { mode } })
    const { catalog } = h.running.fake
    await runCatalogFlows(h.client, catalog, mode)

    const expected = minimumCalls(catalog, mode)
    const stats = h.client.stats()
    expect(stats.byEndpoint).toEqual(expected)
    expect(countBy(h.apiRequests(), templateOf)).toEqual(expected)
    expect(stats.calls).toBe(Object.values(expected).reduce((a, b) => a + b, 0))
    expect(stats.retries).toBe(0)
    // The artist albums of a development app come 10 at a time, the playlist items 50 (or 100 on /tracks).
    const artistAlbumRequests = h.apiRequests().filter((r) => /^\/v1\/artists\/\w+\/albums$/.test(r.path))
    const limits = new Set(artistAlbumRequests.map((r) => r.query.limit))
    expect([...limits]).toEqual([String(MODE_PROFILES[mode].artistAlbumsPageSize)])
    // One user token (playlist items) and, for catalog calls, one app token.
    expect(stats.tokenRefreshes).toBe(2)
  })

  it('detects the mode in auto with one probe, shared by concurrent first calls', async () => {
    const h = await startHarness({ fake: { mode, sizes: SIZES }, client: { mode: 'auto' } })
    const { catalog } = h.running.fake
    expect(h.client.mode()).toBeUndefined()
    const [playlist] = readablePlaylists(catalog, mode)
    const results = await Promise.all([
      h.client.getPlaylist(playlist?.id ?? ''),
      h.client.getPlaylistSnapshotId(playlist?.id ?? ''),
      h.client.detectMode(),
    ])
    expect(results[2]).toBe(mode)
    expect(h.client.mode()).toBe(mode)
    expect(results[0].raw.mode).toBe(mode)
    expect(h.client.stats().byEndpoint['GET /tracks']).toBe(1)

    // From here on the auto client costs what an explicit one does.
    await runCatalogFlows(h.client, catalog, mode)
    const expected = minimumCalls(catalog, mode)
    const probe = { 'GET /tracks': 1, 'GET /playlists/{id}': 2 }
    const byEndpoint = h.client.stats().byEndpoint
    for (const [endpoint, count] of Object.entries(expected)) {
      expect(byEndpoint[endpoint]).toBe(count + (probe[endpoint as keyof typeof probe] ?? 0))
    }
  })

  it('returns the playlist in the mode’s shape and its snapshot id with a cheap fields= call', async () => {
    const h = await startHarness({ fake: { mode, sizes: SIZES }, client: { mode } })
    const [playlist] = readablePlaylists(h.running.fake.catalog, mode)
    const id = playlist?.id ?? ''
    const before = playlist?.snapshotId
    const full = await h.client.getPlaylist(id)
    expect(full.data.id).toBe(id)
    expect(full.data.snapshot_id).toBe(playlist?.snapshotId)
    expect(mode === 'development' ? full.data.items : full.data.tracks).toBeDefined()
    expect(mode === 'development' ? full.data.tracks : full.data.items).toBeUndefined()

    const snapshot = await h.client.getPlaylistSnapshotId(id)
    expect(snapshot.data).toBe(playlist?.snapshotId)
    expect(snapshot.raw.params).toEqual({ id, fields: 'snapshot_id' })
    expect(JSON.parse(snapshot.raw.body)).toEqual({ snapshot_id: playlist?.snapshotId })

    const changed = h.running.fake.mutatePlaylist(id, { metadataOnly: true })
    expect((await h.client.getPlaylistSnapshotId(id)).data).toBe(changed.snapshotId)
    expect(changed.snapshotId).not.toBe(before)
  })

  it('lists the user’s playlists with the user token', async () => {
    const h = await startHarness({ fake: { mode, sizes: SIZES }, client: { mode } })
    const pages = await collect(h.client.myPlaylists())
    const { catalog } = h.running.fake
    expect(pages.flatMap((p) => p.data.items).map((p) => p?.id)).toEqual(catalog.playlists.map((p) => p.id))
    expect(pages).toHaveLength(pagesFor(catalog.playlists.length, 50))
    expect(h.apiRequests().every((r) => r.auth === 'user')).toBe(true)
  })
})

describe('playlist options', () => {
  it('resumes the items from an offset and returns fields= projections as projections', async () => {
    const h = await startHarness({
      fake: { mode: 'development', sizes: [130] },
      client: { mode: 'development' },
    })
    const [playlist] = h.running.fake.catalog.playlists
    const id = playlist?.id ?? ''
    const pages = await collect(h.client.playlistItems(id, { startOffset: 100 }))
    expect(pages.map((p) => [p.data.offset, p.data.items.length])).toEqual([[100, 30]])
    expect(pages[0]?.raw.params).toMatchObject({
      id,
      offset: '100',
      limit: '50',
      additional_types: 'track,episode',
    })

    const projected = await h.client.getPlaylist(id, { fields: 'name,snapshot_id' })
    expect(projected.data).toEqual({ name: playlist?.name, snapshot_id: playlist?.snapshotId })
    expect(projected.raw.params).toMatchObject({ id, fields: 'name,snapshot_id' })
  })
})

describe.each(['development', 'extended'] as const)('a 10,000-item playlist in %s mode', (mode) => {
  it('takes exactly 10,000 / page size requests', async () => {
    const h = await startHarness({ fake: { mode, sizes: [10_000] }, client: { mode } })
    const [playlist] = h.running.fake.catalog.playlists
    let items = 0
    for await (const page of h.client.playlistItems(playlist?.id ?? '')) items += page.data.items.length
    expect(items).toBe(10_000)
    const { playlistItemsEndpoint, playlistItemsPageSize } = MODE_PROFILES[mode]
    expect(h.client.stats().byEndpoint).toEqual({
      [`GET ${playlistItemsEndpoint}`]: 10_000 / playlistItemsPageSize,
    })
    expect(h.apiRequests()).toHaveLength(10_000 / playlistItemsPageSize)
  })
})

describe('batch fallback', () => {
  it('falls back to single GETs when a batch endpoint answers as removed, and remembers it', async () => {
    // An app configured as extended whose quota was taken away: Get Several answers 403.
    const h = await startHarness({ fake: { mode: 'development' }, client: { mode: 'extended' } })
    const ids = h.running.fake.catalog.tracks.slice(0, 60).map((t) => t.id)
    const first = await h.client.getTracks(ids)
    expect(first.items.map((t) => t?.id)).toEqual(ids)
    expect(first.raws.map((r) => r.status)).toContain(403)
    const second = await h.client.getTracks(ids.slice(0, 5))
    expect(second.items.map((t) => t?.id)).toEqual(ids.slice(0, 5))
    expect(h.client.stats().byEndpoint).toEqual({ 'GET /tracks': 1, 'GET /tracks/{id}': 65 })
  })
})
