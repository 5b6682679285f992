/**
 * @module The top_items and followed_artists sources' responses to `top_tracks`, `top_artists` and
 * `followed_artists` rows (read only inside their raw envelopes: the rows need the unit's account), and
 * the tracks and artists in them to the catalog tables.
 */
import { recorded, recordedText } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, FETCHED_AT, gzipJson, RUN_ID } from './support/fixtures.ts'

const ACCOUNT = 'aB3dE5fG7h'
type Json = Record<string, unknown>
// Recorded by zmb3/spotify: 20 of 380 top tracks (extended-era shape, with popularity), 10 top artists.
const TOP_TRACKS = recordedText('top-tracks--zmb3--current_users_top_tracks.json')
const TOP_ARTISTS = recordedText('top-artists--zmb3--current_users_top_artists.json')
const tracksPage = JSON.parse(TOP_TRACKS) as Json & { items: (Json & { id: string; name: string })[] }
const artistsPage = JSON.parse(TOP_ARTISTS) as Json & { items: (Json & { id: string; name: string })[] }

async function transformTop(
  itemType: 'tracks' | 'artists',
  bodies: { body: unknown; params?: Record<string, string> }[],
) {
  const unit = { type: 'top-items', accountId: ACCOUNT, itemType, timeRange: 'short_term' } as const
  const env = envelope({
    source: 'top_items',
    unit,
    responses: bodies.map(({ body, params = { time_range: 'short_term', limit: '50', offset: '0' } }) => ({
      endpoint: `/me/top/${itemType}`,
      body,
      params,
    })),
  })
  const name = `raw/top_items/dt=${DT}/${RUN_ID}/top-items-${ACCOUNT}-${itemType}-short_term.json.gz`
  const { output } = await transformRaw({
    bytes: await gzipJson(env),
    name,
    expect: { runId: RUN_ID, dt: DT, source: 'top_items' },
  })
  return output
}

/** GET /me/following?type=artist as the OpenAPI description shapes it, around recorded artists. */
function followingPage(items: unknown[]) {
  return {
    artists: {
      href: 'https://api.spotify.com/v1/me/following?type=artist&limit=50',
      items,
      limit: 50,
      next: null,
      cursors: { after: null },
      total: items.length,
    },
  }
}

async function transformFollowing(body: unknown) {
  const unit = { type: 'followed-artists', accountId: ACCOUNT, part: 0 } as const
  const env = envelope({
    source: 'followed_artists',
    unit,
    responses: [{ endpoint: '/me/following', body, params: { type: 'artist', limit: '50' } }],
  })
  const { output } = await transformRaw({
    bytes: await gzipJson(env),
    name: `raw/followed_artists/dt=${DT}/${RUN_ID}/followed-artists-${ACCOUNT}-p0000.json.gz`,
    expect: { runId: RUN_ID, dt: DT, source: 'followed_artists' },
  })
  return output
}

describe('top_tracks and top_artists from GET /me/top/{tracks,artists}', () => {
  it('ranks each item from 1 by its place on the page plus the page offset, with the account and time range', async () => {
    const second = { ...tracksPage, offset: 20 }
    const out = await transformTop('tracks', [
      { body: TOP_TRACKS },
      { body: second, params: { time_range: 'short_term', limit: '20', offset: '20' } },
    ])
    expect(out.top_tracks.rejects).toEqual([])
    expect(out.top_tracks.rows.map((r) => r.rank)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    const first = out.top_tracks.rows[0]!
    expect(first).toMatchObject({
      account_id: ACCOUNT,
      time_range: 'short_term',
      rank: 1,
      track_id: tracksPage.items[0]!.id,
      track_name: tracksPage.items[0]!.name,
    })
    expect(first.artist_names).toEqual(
      (tracksPage.items[0]!.artists as { name: string }[]).map((a) => a.name),
    )
    expect(first._extracted_at).toEqual(new Date(FETCHED_AT))
  })

  it('sends the ranked tracks, their albums and artists to the catalog tables; top artists to artists', async () => {
    const tracks = await transformTop('tracks', [{ body: TOP_TRACKS }])
    expect(new Set(tracks.tracks.rows.map((r) => r.track_id))).toEqual(
      new Set(tracksPage.items.map((t) => t.id)),
    )
    expect(tracks.albums.rows.length).toBeGreaterThan(0)
    expect(tracks.artists.rows.length).toBeGreaterThan(0)
    const artists = await transformTop('artists', [{ body: TOP_ARTISTS }])
    expect(artists.top_artists.rows.map((r) => [r.rank, r.artist_id, r.artist_name])).toEqual(
      artistsPage.items.map((a, i) => [i + 1, a.id, a.name]),
    )
    expect(artists.artists.rows.map((r) => r.artist_id)).toEqual(artistsPage.items.map((a) => a.id))
  })

  it('reads the development-mode shape (no popularity, followers or genres): nulls in the catalog, the ranks intact', async () => {
    const dev = structuredClone(artistsPage)
    for (const a of dev.items) {
      delete a.popularity
      delete a.followers
      delete a.genres
    }
    const out = await transformTop('artists', [{ body: dev }])
    expect(out.top_artists.rows).toHaveLength(10)
    expect(out.artists.rows.every((r) => r.popularity === null && r.followers === null)).toBe(true)
  })

  it('takes the time range the request asked for, and rejects an item without its id, naming the path', async () => {
    const body = structuredClone(tracksPage)
    delete (body.items[1] as Partial<Json>).id
    ;(body.items[2] as Json).duration_ms = 'long'
    const out = await transformTop('tracks', [
      { body, params: { time_range: 'long_term', limit: '50', offset: '0' } },
    ])
    expect(new Set(out.top_tracks.rows.map((r) => r.time_range))).toEqual(new Set(['long_term']))
    expect(out.top_tracks.rejects.map((r) => r.path)).toEqual(['responses[0].items[1]'])
    // A field only `tracks` reads costs that row, not the rank: item 2 keeps rank 3.
    expect(out.top_tracks.rows.map((r) => r.rank)).toContain(3)
    expect(out.tracks.rejects.map((r) => r.path)).toContain('responses[0].items[2]')
  })
})

describe('followed_artists from GET /me/following?type=artist', () => {
  const artists = [
    recorded<Json>('artist--zmb3--find_artist.json'),
    recorded<Json>('artist--tssdk--validArtist.json'),
  ]

  it('makes one row per followed artist and an artists row each', async () => {
    const out = await transformFollowing(followingPage(artists))
    expect(out.followed_artists.rejects).toEqual([])
    expect(out.followed_artists.rows.map((r) => [r.account_id, r.artist_id, r.artist_name])).toEqual(
      artists.map((a) => [ACCOUNT, a.id, a.name]),
    )
    expect(out.artists.rows.map((r) => r.artist_id)).toEqual(artists.map((a) => a.id))
  })

  it('rejects a page without its artists list, and an artist without an id', async () => {
    const bad = await transformFollowing({ items: artists })
    expect(bad.followed_artists.rows).toEqual([])
    expect(bad.followed_artists.rejects.map((r) => r.detail)).toEqual([expect.stringContaining('artists')])
    const noId = await transformFollowing(followingPage([{ ...artists[0], id: undefined }, artists[1]]))
    expect(noId.followed_artists.rows.map((r) => r.artist_id)).toEqual([artists[1]!.id])
    expect(noId.followed_artists.rejects.map((r) => r.path)).toEqual(['responses[0].artists.items[0]'])
  })
})
