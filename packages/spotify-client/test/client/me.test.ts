/** @module The user's library endpoints against recorded real responses (stub fetch): paging, cursors, user token. */
import { recorded } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { collect, createSpotifyClient, SpotifyConfigError } from '../../src/index.ts'
import { CLIENT, createFakeClock, createStubFetch, json, type StubHandler } from './support/stub-fetch.ts'

type Json = Record<string, unknown> & { items: unknown[] }
const fixture = (name: string): Json => recorded<Json>(name)

function setup(api: StubHandler, refreshToken = 'user-refresh-token-0123456789') {
  const stub = createStubFetch({ api })
  const client = createSpotifyClient({
    ...CLIENT,
    refreshToken,
    mode: 'development',
    fetch: stub.fetch,
    ...createFakeClock(),
  })
  const params = () => stub.apiRequests().map((r) => Object.fromEntries(r.url.searchParams))
  return { stub, client, params }
}

describe('user library endpoints', () => {
  it('stops at total even when Spotify still sends a next link (saved tracks)', async () => {
    const { client, params, stub } = setup(() => json(fixture('saved-tracks--zmb3--current_users_tracks')))
    const pages = await collect(client.savedTracks())
    expect(pages).toHaveLength(1)
    expect(pages[0]?.data.items).toHaveLength(3)
    expect(pages[0]?.raw.endpoint).toBe('/me/tracks')
    expect(params()).toEqual([{ limit: '50', offset: '0' }])
    expect(stub.tokenRequests().map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
      'refresh_token',
    ])
  })

  it('pages the saved albums (GET /me/albums) with the largest page, each with its album', async () => {
    const { client, params } = setup(() => json(fixture('saved-albums--zmb3--current_users_albums')))
    const pages = await collect(client.savedAlbums())
    expect(pages).toHaveLength(1)
    expect(pages[0]?.data.items.map((i) => i.album.id)).toEqual([
      '4OTAx9un4e6NfoHuVRiOrC',
      '6rIbiUMmZJfqJRnXhVxFvg',
    ])
    expect(pages[0]?.raw.endpoint).toBe('/me/albums')
    expect(params()).toEqual([{ limit: '50', offset: '0' }])
  })

  it('advances by the items received, not the limit asked for (top tracks, 380 in pages of 20)', async () => {
    const recorded = fixture('top-tracks--zmb3--current_users_top_tracks')
    const { client, params } = setup(({ url }) => {
      const offset = Number(url.searchParams.get('offset'))
      return json({
        ...recorded,
        offset,
        next: offset + 20 < 380 ? 'https://api.spotify.com/v1/me/top/tracks?more' : null,
      })
    })
    const pages = await collect(client.topItems('tracks', { timeRange: 'long_term' }))
    expect(pages).toHaveLength(19)
    expect(params().map((p) => p.offset)).toEqual(Array.from({ length: 19 }, (_, i) => String(i * 20)))
    expect(params()[0]).toEqual({ time_range: 'long_term', limit: '50', offset: '0' })
    expect(pages[0]?.raw.endpoint).toBe('/me/top/tracks')
  })

  it('reads top artists with the default time range', async () => {
    const { client, params } = setup(() => json(fixture('top-artists--zmb3--current_users_top_artists')))
    const pages = await collect(client.topItems('artists'))
    expect(pages[0]?.data.items.map((a) => a.type)).toEqual(Array(10).fill('artist'))
    expect(params()).toEqual([{ time_range: 'medium_term', limit: '50', offset: '0' }])
  })

  it('follows the before cursor of recently played until an empty page', async () => {
    const recorded = fixture('recently-played--zmb3--player_recently_played')
    const { client, params } = setup(({ url }) =>
      url.searchParams.has('before')
        ? json({ href: url.href, items: [], limit: 50, next: null, cursors: null })
        : json(recorded),
    )
    const pages = await collect(client.recentlyPlayed())
    expect(pages.map((p) => p.data.items.length)).toEqual([20, 0])
    expect(params()).toEqual([{ limit: '50' }, { before: '1495842394544', type: 'track' }])
  })

  it('fetches only newer plays with `after`, without walking back through the before cursor', async () => {
    const { client, params } = setup(() => json(fixture('recently-played--zmb3--player_recently_played')))
    const pages = await collect(client.recentlyPlayed({ after: 1495842000000 }))
    expect(pages).toHaveLength(1)
    expect(params()).toEqual([{ limit: '50', after: '1495842000000' }])
  })

  it('pages followed artists by the after cursor in `next`, and stops when a next would not move it', async () => {
    const artist = (id: string) => ({
      id,
      name: id,
      type: 'artist',
      uri: `spotify:artist:${id}`,
      href: `https://api.spotify.com/v1/artists/${id}`,
      external_urls: { spotify: `https://open.spotify.com/artist/${id}` },
      images: [],
    })
    const page = (ids: string[], next: string | null) => ({
      artists: {
        href: 'https://api.spotify.com/v1/me/following?type=artist',
        items: ids.map(artist),
        limit: 50,
        next,
        cursors: { after: next ? ids.at(-1) : null },
        total: 3,
      },
    })
    const nextAfter = (after: string) =>
      `https://api.spotify.com/v1/me/following?type=artist&after=${after}&limit=50`
    const { client, params } = setup(({ url }) => {
      const after = url.searchParams.get('after')
      if (after === null) return json(page(['a1', 'a2'], nextAfter('a2')))
      return json(page(['a3'], null))
    })
    const pages = await collect(client.followedArtists())
    expect(pages.flatMap((p) => p.data.artists.items.map((a) => a.id))).toEqual(['a1', 'a2', 'a3'])
    expect(pages[0]?.raw.endpoint).toBe('/me/following')
    expect(params()).toEqual([
      { type: 'artist', limit: '50' },
      { type: 'artist', after: 'a2', limit: '50' },
    ])
    const stuck = setup(() => json(page(['a1'], nextAfter('a0'))))
    expect(await collect(stuck.client.followedArtists({ after: 'a0' }))).toHaveLength(1)
  })

  it('reads the current user with the user token and validates the answer', async () => {
    const profile = {
      id: 'wizzler',
      type: 'user',
      uri: 'spotify:user:wizzler',
      href: 'https://api.spotify.com/v1/users/wizzler',
      external_urls: { spotify: 'https://open.spotify.com/user/wizzler' },
      display_name: 'JM Wizzler',
      email: 'email@example.com',
    }
    const { client, stub } = setup(() => json(profile))
    const me = await client.getCurrentUser()
    expect(me.data).toMatchObject({ id: 'wizzler', display_name: 'JM Wizzler' })
    expect(me.raw).toMatchObject({ endpoint: '/me', status: 200, params: {} })
    expect(stub.apiRequests().map((r) => r.url.pathname)).toEqual(['/v1/me'])
    expect(stub.tokenRequests().map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
      'refresh_token',
    ])
    const { client: odd } = setup(() => json({ ...profile, id: undefined }))
    await expect(odd.getCurrentUser()).rejects.toMatchObject({
      name: 'SpotifyInvalidResponseError',
      path: 'id',
    })
  })

  it('needs a user refresh token', async () => {
    const { client, stub } = setup(() => json({}), '')
    await expect(collect(client.savedTracks())).rejects.toBeInstanceOf(SpotifyConfigError)
    await expect(client.getCurrentUser()).rejects.toBeInstanceOf(SpotifyConfigError)
    expect(stub.requests).toHaveLength(0)
  })
})
