/** @module Tests of paging over real HTTP, up to a 10,000-item playlist, and limit/offset validation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakePlaylistEntry } from '../../src/fake/index.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { getJson, getToken, type Page } from './support/helpers.ts'

/** The content id an entry must render to (null for removed tracks and local files). */
const expectedId = (entry: FakePlaylistEntry): string | null =>
  entry.kind === 'track' ? entry.trackId : entry.kind === 'episode' ? entry.episodeId : null

type Item = Record<string, { id: string | null } | null>

const walk = async (url: string, token: string, first: string) => {
  const pages: Page<Item>[] = []
  let next: string | null = first
  while (next) {
    const { status, body }: { status: number; body: Page<Item> } = await getJson<Page<Item>>(url, token, next)
    expect(status).toBe(200)
    pages.push(body)
    next = body.next
  }
  return pages
}

describe('paging through a 10,000-item playlist over HTTP', () => {
  let dev: RunningFakeSpotify
  let ext: RunningFakeSpotify
  beforeAll(async () => {
    dev = await startFakeSpotify({ seed: 'paging', sizes: [10_000, 0, 7] })
    ext = await startFakeSpotify({ seed: 'paging', sizes: [10_000, 0, 7], mode: 'extended' })
  })
  afterAll(async () => {
    await dev.close()
    await ext.close()
  })

  it('development /items: 200 pages of 50 with absolute links, items in catalog order', async () => {
    const playlist = dev.fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    const token = await getToken(dev.url, 'user')
    const pages = await walk(dev.url, token, `/playlists/${playlist.id}/items?limit=50`)
    expect(pages).toHaveLength(10_000 / 50)
    expect(pages.every((p) => p.items.length === 50 && p.total === 10_000 && p.limit === 50)).toBe(true)
    expect(pages[0]?.previous).toBeNull()
    expect(pages.at(-1)?.next).toBeNull()
    expect(pages[1]?.previous).toBe(`${dev.url}/v1/playlists/${playlist.id}/items?offset=0&limit=50`)
    expect(pages[0]?.next).toBe(`${dev.url}/v1/playlists/${playlist.id}/items?offset=50&limit=50`)
    const ids = pages.flatMap((p) => p.items.map((item) => item.item?.id ?? null))
    expect(ids).toEqual(playlist.entries.map(expectedId))
    const nulls = pages.flatMap((p) => p.items).filter((item) => item.item === null).length
    expect(nulls).toBe(playlist.entries.filter((e) => e.kind === 'removed').length)
  })

  it('extended legacy /tracks: 100 pages of 100, `track` field, same items', async () => {
    const playlist = ext.fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    const token = await getToken(ext.url, 'app')
    const pages = await walk(ext.url, token, `/playlists/${playlist.id}/tracks?limit=100`)
    expect(pages).toHaveLength(100)
    const ids = pages.flatMap((p) => p.items.map((item) => item.track?.id ?? null))
    expect(ids).toEqual(playlist.entries.map(expectedId))
  })

  it('keeps other query parameters in next links and pages an odd size exactly', async () => {
    const playlist = dev.fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    const token = await getToken(dev.url, 'user')
    const pages = await walk(
      dev.url,
      token,
      `/playlists/${playlist.id}/items?limit=33&additional_types=track,episode`,
    )
    expect(pages).toHaveLength(Math.ceil(10_000 / 33))
    expect(pages.at(-1)?.items).toHaveLength(10_000 % 33)
    expect(pages[0]?.next).toBe(
      `${dev.url}/v1/playlists/${playlist.id}/items?offset=33&limit=33&additional_types=track%2Cepisode`,
    )
  })

  it('an empty playlist has one empty page; offset past the end is an empty page', async () => {
    const empty = dev.fake.catalog.playlists[1]
    if (!empty) throw new Error('no playlist')
    const token = await getToken(dev.url, 'user')
    const first = await getJson<Page>(dev.url, token, `/playlists/${empty.id}/items`)
    expect(first.body).toMatchObject({ total: 0, items: [], next: null, previous: null, limit: 20 })
    const past = await getJson<Page>(
      dev.url,
      token,
      `/playlists/${playlist(dev).id}/items?offset=20000&limit=50`,
    )
    expect(past.body.items).toEqual([])
    expect(past.body.next).toBeNull()
  })

  it.each([['limit=0'], ['limit=51'], ['limit=abc'], ['limit=-1'], ['offset=-5'], ['offset=x']])(
    'rejects %s with 400 and the Spotify error object',
    async (params) => {
      const token = await getToken(dev.url, 'user')
      const res = await getJson(dev.url, token, `/playlists/${playlist(dev).id}/items?${params}`)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({
        error: { status: 400, message: expect.stringMatching(/^Invalid (limit|offset)$/) },
      })
    },
  )

  it('legacy /tracks allows 100 but not 101 (extended)', async () => {
    const token = await getToken(ext.url, 'app')
    const path = `/playlists/${playlist(ext).id}/tracks`
    expect((await getJson(ext.url, token, `${path}?limit=100`)).status).toBe(200)
    expect((await getJson(ext.url, token, `${path}?limit=101`)).status).toBe(400)
    expect((await getJson(ext.url, token, `/playlists/${playlist(ext).id}/items?limit=51`)).status).toBe(400)
  })

  it('album tracks page at 50', async () => {
    const album = dev.fake.catalog.albums.find((a) => a.trackIds.length > 50)
    if (!album) throw new Error('expected a big album')
    const token = await getToken(dev.url, 'app')
    const pages = await walk(dev.url, token, `/albums/${album.id}/tracks?limit=50`)
    expect(pages).toHaveLength(Math.ceil(album.trackIds.length / 50))
    expect(pages.flatMap((p) => p.items.map((t) => (t as unknown as { id: string }).id))).toEqual(
      album.trackIds,
    )
    expect((await getJson(dev.url, token, `/albums/${album.id}/tracks?limit=51`)).status).toBe(400)
  })
})

const playlist = (server: RunningFakeSpotify) => {
  const found = server.fake.catalog.playlists[0]
  if (!found) throw new Error('no playlist')
  return found
}
