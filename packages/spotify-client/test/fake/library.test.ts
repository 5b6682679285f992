/** @module Tests of the user's library endpoints: saved tracks/albums, top items, followed artists, recently played cursors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { followedArtistIds, topIds } from '../../src/fake/catalog-library.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { getJson, getToken, type Page } from './support/helpers.ts'

type Json = Record<string, unknown>
interface Cursored {
  items: { track: { id: string }; played_at: string; context: Json | null }[]
  next: string | null
  cursors: { after: string; before: string } | null
  limit: number
}

describe('library endpoints', () => {
  let server: RunningFakeSpotify
  let user = ''
  let app = ''
  beforeAll(async () => {
    server = await startFakeSpotify({
      seed: 'library',
      savedTracks: 70,
      plays: 120,
      artists: 130,
      followedArtists: 70,
    })
    user = await getToken(server.url, 'user')
    app = await getToken(server.url, 'app')
  })
  afterAll(() => server.close())

  it('GET /me/tracks pages the saved tracks newest first, with added_at', async () => {
    const { library } = server.fake.catalog
    const first = await getJson<Page<{ added_at: string; track: { id: string } }>>(
      server.url,
      user,
      '/me/tracks?limit=50',
    )
    expect(first.body.total).toBe(70)
    const second = await getJson<Page<{ added_at: string; track: { id: string } }>>(
      server.url,
      user,
      first.body.next ?? '',
    )
    const ids = [...first.body.items, ...second.body.items].map((s) => s.track.id)
    expect(ids).toEqual(library.savedTracks.map((s) => s.trackId))
    expect(second.body.next).toBeNull()
    expect((await getJson(server.url, app, '/me/tracks')).status).toBe(401)
    const albums = await getJson<Page<{ album: { id: string } }>>(server.url, user, '/me/albums')
    expect(albums.body.items.map((s) => s.album.id)).toEqual(library.savedAlbums.map((s) => s.albumId))
  })

  it('GET /me/top/{type}: a stable ranking per time range; a bad range is 400', async () => {
    const ids = async (path: string) =>
      (await getJson<Page<{ id: string; type: string }>>(server.url, user, path)).body.items.map((x) => x.id)
    const medium = await ids('/me/top/tracks?limit=50')
    expect(medium).toHaveLength(50)
    expect(await ids('/me/top/tracks?limit=50&time_range=medium_term')).toEqual(medium)
    expect(await ids('/me/top/tracks?limit=50&time_range=short_term')).not.toEqual(medium)
    const artists = await getJson<Page<{ type: string }>>(server.url, user, '/me/top/artists')
    expect(artists.body.items.every((a) => a.type === 'artist')).toBe(true)
    expect((await getJson(server.url, user, '/me/top/tracks?time_range=forever')).status).toBe(400)
    expect((await getJson(server.url, app, '/me/top/tracks')).status).toBe(401)
  })

  it('GET /me/top/{type}: limit/offset page one ranking of at most 100; limit over 50 is 400', async () => {
    const page = (path: string) => getJson<Page<{ id: string }>>(server.url, user, path)
    const first = await page('/me/top/artists?time_range=long_term&limit=50')
    expect(first.body).toMatchObject({ offset: 0, limit: 50, total: 100 })
    const second = await page('/me/top/artists?time_range=long_term&limit=50&offset=50')
    expect(second.body).toMatchObject({ offset: 50, next: null })
    const ranking = [...first.body.items, ...second.body.items].map((a) => a.id)
    expect(new Set(ranking).size).toBe(100)
    const { catalog } = server.fake
    expect(ranking).toEqual(
      topIds({
        catalog,
        type: 'artists',
        range: 'long_term',
        userId: catalog.user.id,
        now: server.fake.now(),
      }),
    )
    expect((await page('/me/top/artists?limit=51')).status).toBe(400)
  })

  it('GET /me/top/{type}: the ranks move from one simulated day to the next, short_term most', async () => {
    const { catalog } = server.fake
    const on = (range: 'short_term' | 'long_term', day: number) =>
      topIds({
        catalog,
        type: 'artists',
        range,
        userId: catalog.user.id,
        now: Date.UTC(2026, 5, 1) + day * 86_400_000,
      })
    const moved = (a: string[], b: string[]) => a.filter((id, i) => b[i] !== id).length
    expect(on('short_term', 3)).toEqual(on('short_term', 3))
    const short = moved(on('short_term', 3), on('short_term', 4))
    expect(short).toBeGreaterThan(0)
    expect(moved(on('long_term', 3), on('long_term', 4))).toBeLessThan(short)
    // Some day, an artist from below the cut enters the short-term list.
    const days = Array.from({ length: 10 }, (_, d) => new Set(on('short_term', d)))
    expect(days.some((ids, d) => d > 0 && [...ids].some((id) => !days[d - 1]?.has(id)))).toBe(true)
    // The fake's own clock moves the served list.
    // The fake's own clock moves the served list (a day later the access token has expired: a new one).
    const served = async (token: string) => {
      const path = '/me/top/artists?time_range=short_term&limit=50'
      const page = await getJson<Page<{ id: string }>>(server.url, token, path)
      expect(page.status).toBe(200)
      return page.body.items.map((a) => a.id)
    }
    const today = await served(user)
    server.fake.advanceClock(86_400_000)
    try {
      expect(await served(await getToken(server.url, 'user'))).not.toEqual(today)
    } finally {
      server.fake.reset()
    }
  })

  it('GET /me/following?type=artist pages by the after cursor (the last artist id), up to 50, full artists', async () => {
    interface Following {
      artists: {
        items: { id: string; type: string; name: string }[]
        next: string | null
        cursors: { after: string | null }
        limit: number
        total: number
      }
    }
    const page = (path: string) => getJson<Following>(server.url, user, path)
    const first = await page('/me/following?type=artist&limit=50')
    expect(first.body.artists).toMatchObject({ limit: 50, total: 70 })
    expect(first.body.artists.items).toHaveLength(50)
    const last = first.body.artists.items.at(-1)?.id
    expect(first.body.artists.cursors.after).toBe(last)
    expect(new URL(first.body.artists.next ?? '').searchParams.get('after')).toBe(last)
    const second = await page(first.body.artists.next ?? '')
    expect(second.body.artists.items).toHaveLength(20)
    expect(second.body.artists).toMatchObject({ next: null, cursors: { after: null } })
    const all = [...first.body.artists.items, ...second.body.artists.items]
    expect(all.every((a) => a.type === 'artist' && a.name.length > 0)).toBe(true)
    expect(all.map((a) => a.id)).toEqual(
      followedArtistIds({ catalog: server.fake.catalog, userId: server.fake.catalog.user.id }),
    )
    expect((await page('/me/following?limit=5')).status).toBe(400)
    expect((await page('/me/following?type=user')).status).toBe(400)
    expect((await page('/me/following?type=artist&limit=51')).status).toBe(400)
    expect((await page('/me/following?type=artist&after=not-an-id!')).status).toBe(400)
    expect((await getJson(server.url, app, '/me/following?type=artist')).status).toBe(401)
  })

  it('recently played: newest first, `next` follows the before cursor, and only the last 50 plays exist', async () => {
    const { plays } = server.fake.catalog.library
    expect(plays).toHaveLength(120)
    const pages: Cursored[] = []
    let next: string | null = `${server.url}/v1/me/player/recently-played?limit=20`
    while (next) {
      const page: Cursored = (await getJson<Cursored>(server.url, user, next)).body
      pages.push(page)
      next = page.next
    }
    // Spotify keeps the last 50 plays: the other 70 happened, but no cursor reaches them.
    expect(pages.map((p) => p.items.length)).toEqual([20, 20, 10])
    const all = pages.flatMap((p) => p.items)
    expect(all.map((i) => i.track.id)).toEqual(plays.slice(0, 50).map((p) => p.trackId))
    expect(all.map((i) => Date.parse(i.played_at))).toEqual(plays.slice(0, 50).map((p) => p.playedAt))
    expect(pages[0]?.cursors).toEqual({
      after: String(plays[0]?.playedAt),
      before: String(plays[19]?.playedAt),
    })
    const older = `/me/player/recently-played?limit=50&before=${plays[49]?.playedAt}`
    expect((await getJson<Cursored>(server.url, user, older)).body).toMatchObject({ items: [], next: null })
    expect(all.some((i) => i.context === null)).toBe(true)
    expect(all.some((i) => i.context?.type === 'playlist')).toBe(true)
  })

  it('recently played `after` returns only newer plays and no next; both cursors at once is 400', async () => {
    const { plays } = server.fake.catalog.library
    const mark = plays[10]?.playedAt
    const page = (
      await getJson<Cursored>(server.url, user, `/me/player/recently-played?limit=50&after=${mark}`)
    ).body
    expect(page.items.map((i) => i.track.id)).toEqual(plays.slice(0, 10).map((p) => p.trackId))
    expect(page.next).toBeNull()
    const empty = (
      await getJson<Cursored>(server.url, user, `/me/player/recently-played?after=${plays[0]?.playedAt}`)
    ).body
    expect(empty).toMatchObject({ items: [], next: null, cursors: null })
    expect((await getJson(server.url, user, '/me/player/recently-played?after=1&before=2')).status).toBe(400)
    expect((await getJson(server.url, user, '/me/player/recently-played?limit=51')).status).toBe(400)
  })

  it('listening simulator: plays appear as the simulated clock passes them; a poll sees only the last 50', async () => {
    const fake = server.fake
    const start = fake.now() + 60_000
    const added = fake.listen({ plays: 70, everyMs: 3 * 60_000, startAt: start })
    expect(added).toHaveLength(70)
    const poll = async (query = 'limit=50') =>
      (await getJson<Cursored>(server.url, user, `/me/player/recently-played?${query}`)).body
    const before = await poll()
    expect(before.items.every((i) => Date.parse(i.played_at) < start)).toBe(true)

    fake.advanceClock(60_000 + 10 * 3 * 60_000) // the first 11 plays have ended
    const mark = Date.parse(before.items[0]!.played_at)
    const eleven = await poll(`limit=50&after=${mark}`)
    expect(eleven.items.map((i) => Date.parse(i.played_at))).toEqual(
      added
        .slice(0, 11)
        .map((p) => p.playedAt)
        .reverse(),
    )
    expect(eleven.cursors?.after).toBe(String(added[10]!.playedAt))

    fake.advanceClock(70 * 3 * 60_000) // all 70 have ended; 20 of them are already out of reach
    user = await getToken(server.url, 'user') // the clock moved past the access token's hour
    const all = await poll(`limit=50&after=${added[10]!.playedAt}`)
    expect(all.items).toHaveLength(50)
    expect(all.items.map((i) => Date.parse(i.played_at))).toEqual(
      added
        .slice(20)
        .map((p) => p.playedAt)
        .reverse(),
    )
    expect(
      fake
        .playsSoFar()
        .slice(0, 70)
        .map((p) => p.playedAt),
    ).toEqual(added.map((p) => p.playedAt).reverse())
    expect(() => fake.listen({ plays: 0, everyMs: 1000 })).toThrow(/plays must be/)
    expect(() => fake.listen({ plays: 3, everyMs: 0 })).toThrow(/everyMs must be/)
  })

  it("answers 403 Insufficient client scope to a user token without the endpoint's scope", async () => {
    const narrow = await startFakeSpotify({ seed: 'library', scope: 'playlist-read-private user-top-read' })
    try {
      const token = await getToken(narrow.url, 'user')
      expect((await getJson(narrow.url, token, '/me/top/artists')).status).toBe(200)
      for (const path of ['/me/following?type=artist', '/me/player/recently-played']) {
        const res = await getJson<{ error: { status: number; message: string } }>(narrow.url, token, path)
        expect(res.status, path).toBe(403)
        expect(res.body.error.message).toBe('Insufficient client scope')
      }
    } finally {
      await narrow.close()
    }
  })
})

describe('the library over simulated time', () => {
  let server: RunningFakeSpotify
  let user = ''
  beforeAll(async () => {
    // A fixed clock (moved only by advanceClock): the same changes at the same times, the same library.
    const start = Date.UTC(2026, 10, 21, 12)
    server = await startFakeSpotify({
      seed: 'library-changes',
      savedTracks: 30,
      savedAlbums: 5,
      now: () => start,
    })
    user = await getToken(server.url, 'user')
  })
  afterAll(() => server.close())
  type Saved = Page<{ added_at: string; track?: { id: string }; album?: { id: string } }>
  const listing = async (path: string) => {
    const items: Saved['items'] = []
    for (let next: string | null = `${path}?limit=50`; next; ) {
      const page: { body: Saved } = await getJson<Saved>(server.url, user, next)
      items.push(...page.body.items)
      next = page.body.next
    }
    return items
  }

  it('saves at the clock with one added_at per change, newest first; removals leave the listing', async () => {
    const before = await listing('/me/tracks')
    server.fake.advanceClock(600_000)
    const change = server.fake.changeLibrary({ saveTracks: 25, removeTracks: 3, saveAlbums: 2 })
    expect(change.addedAt).toBe(new Date(server.fake.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    const after = await listing('/me/tracks')
    expect(after).toHaveLength(30 + 25 - 3)
    // The saves come first, all with the change's added_at; the rest keep their order and dates.
    expect(after.slice(0, 25).map((s) => s.track!.id)).toEqual(change.savedTracks)
    expect(after.slice(0, 25).every((s) => s.added_at === change.addedAt)).toBe(true)
    expect(after.slice(25)).toEqual(before.filter((s) => !change.removedTracks.includes(s.track!.id)))
    const addedAt = after.map((s) => Date.parse(s.added_at))
    expect(addedAt).toEqual([...addedAt].sort((a, b) => b - a))
    const albums = await listing('/me/albums')
    expect(albums.slice(0, 2).map((s) => s.album!.id)).toEqual(change.savedAlbums)
    expect(albums).toHaveLength(7)
  })

  it('is deterministic: the same changes at the same times give the same library', async () => {
    const replay = async () => {
      server.fake.reset()
      server.fake.advanceClock(60_000)
      const a = server.fake.changeLibrary({ saveTracks: 5, removeTracks: 2 })
      server.fake.advanceClock(60_000)
      const b = server.fake.changeLibrary({ removeAlbums: 1, saveTracks: 1 })
      return { a, b, tracks: await listing('/me/tracks'), albums: await listing('/me/albums') }
    }
    const first = await replay()
    user = await getToken(server.url, 'user')
    expect(await replay()).toEqual(first)
    expect(first.tracks).toHaveLength(30 + 5 - 2 + 1)
  })

  it('refuses counts it cannot do, and a limit over 50 as Spotify does', async () => {
    expect(() => server.fake.changeLibrary({ removeAlbums: 1000 })).toThrow(/more removals/)
    expect(() => server.fake.changeLibrary({ saveTracks: -1 })).toThrow(/saveTracks/)
    expect((await getJson(server.url, user, '/me/tracks?limit=51')).status).toBe(400)
    expect((await getJson(server.url, user, '/me/albums?limit=0')).status).toBe(400)
  })

  it('answers the admin API: POST /__fake/library changes, GET lists', async () => {
    const res = await fetch(`${server.url}/__fake/library`, {
      method: 'POST',
      body: JSON.stringify({ saveAlbums: 1 }),
    })
    const change = (await res.json()) as { savedAlbums: string[] }
    const listed = (await (await fetch(`${server.url}/__fake/library`)).json()) as {
      albums: { id: string }[]
    }
    expect(listed.albums[0]?.id).toBe(change.savedAlbums[0])
    const bad = await fetch(`${server.url}/__fake/library`, {
      method: 'POST',
      body: JSON.stringify({ saveTracks: 1.5 }),
    })
    expect(bad.status).toBe(400)
  })
})

describe('saved shows and episodes', () => {
  let server: RunningFakeSpotify
  let user = ''
  beforeAll(async () => {
    const start = Date.UTC(2026, 10, 21, 12)
    server = await startFakeSpotify({ seed: 'library-podcasts', now: () => start })
    user = await getToken(server.url, 'user')
  })
  afterAll(() => server.close())

  it('GET /me/shows and /me/episodes list the library newest first, and change with it', async () => {
    type Saved = Page<{
      added_at: string
      show?: { id: string }
      episode?: { id: string; show: { id: string } }
    }>
    const shows = async () => (await getJson<Saved>(server.url, user, '/me/shows')).body.items
    const episodes = async () => (await getJson<Saved>(server.url, user, '/me/episodes?limit=50')).body.items
    const { library } = server.fake.catalog
    expect((await shows()).map((s) => s.show!.id)).toEqual(library.savedShows.map((s) => s.showId))
    expect((await episodes()).map((e) => e.episode!.id)).toEqual(
      library.savedEpisodes.map((s) => s.episodeId),
    )
    server.fake.advanceClock(60_000)
    const change = server.fake.changeLibrary({ saveShows: 1, removeEpisodes: 1, saveEpisodes: 2 })
    expect((await shows())[0]).toMatchObject({ added_at: change.addedAt, show: { id: change.savedShows[0] } })
    const after = await episodes()
    expect(after.slice(0, 2).map((e) => e.episode!.id)).toEqual(change.savedEpisodes)
    expect(after.map((e) => e.episode!.id)).not.toContain(change.removedEpisodes[0])
    expect(after).toHaveLength(3 - 1 + 2)
  })
})
