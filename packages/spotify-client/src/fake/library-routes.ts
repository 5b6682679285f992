/** @module The user's library endpoints of the fake: saved tracks/albums/shows/episodes, top artists/tracks, followed artists, recently played. */
import { type Context, Hono } from 'hono'
import { followedArtistIds, TIME_RANGES, type TimeRange, topIds } from './catalog-library.ts'
import type { FakeAlbum, FakeArtist, FakeEpisode, FakeShow, FakeTrack } from './catalog-types.ts'
import { SpotifyHttpError } from './http-errors.ts'
import { playHistory } from './listening.ts'
import { buildPage, parsePageWindow } from './paging.ts'
import {
  renderAlbum,
  renderArtist,
  renderEpisode,
  renderSimplifiedShow,
  renderSimplifiedTrack,
  renderTrack,
} from './render.ts'
import {
  type FakeEnv,
  type FakeRuntime,
  queryOf,
  renderContext,
  requireScope,
  requireUser,
} from './route-context.ts'

const defined = <T>(x: T | undefined): x is T => x !== undefined

const readCursor = (query: URLSearchParams, name: 'before' | 'after'): number | undefined => {
  const text = query.get(name)
  if (text === null) return undefined
  if (!/^\d+$/.test(text)) throw new SpotifyHttpError({ status: 400, message: `Invalid ${name} cursor` })
  return Number(text)
}

export const createLibraryRoutes = ({ runtime }: { runtime: FakeRuntime }): Hono<FakeEnv> => {
  const app = new Hono<FakeEnv>()

  /** Offset paging over a list known up front, for a user token only. */
  const userPage = <T>(c: Context<FakeEnv>, list: T[], render: (item: T) => unknown) => {
    requireUser(c)
    const ctx = renderContext(runtime, c)
    const query = queryOf(c)
    return c.json(
      buildPage({
        origin: ctx.origin,
        path: c.req.path,
        query,
        window: parsePageWindow({ query, defaultLimit: 20, maxLimit: 50 }),
        total: list.length,
        render: (start, end) => list.slice(start, end).map(render),
      }),
    )
  }

  app.get('/v1/me/tracks', (c) => {
    const ctx = renderContext(runtime, c)
    const saved = ctx.catalog.library.savedTracks
    return userPage(c, saved, (s) => ({
      added_at: s.addedAt,
      track: renderTrack(ctx, ctx.catalog.trackById.get(s.trackId) as FakeTrack),
    }))
  })

  app.get('/v1/me/albums', (c) => {
    const ctx = renderContext(runtime, c)
    return userPage(c, ctx.catalog.library.savedAlbums, (s) => {
      const album = ctx.catalog.albumById.get(s.albumId) as FakeAlbum
      const tracks = buildPage({
        origin: ctx.origin,
        path: `/v1/albums/${album.id}/tracks`,
        query: new URLSearchParams(),
        window: { offset: 0, limit: 50 },
        total: album.trackIds.length,
        render: (start, end) =>
          album.trackIds.slice(start, end).flatMap((id) => {
            const track = ctx.catalog.trackById.get(id)
            return track ? [renderSimplifiedTrack(ctx, track)] : []
          }),
      })
      return { added_at: s.addedAt, album: renderAlbum(ctx, album, tracks) }
    })
  })

  app.get('/v1/me/shows', (c) => {
    const ctx = renderContext(runtime, c)
    return userPage(c, ctx.catalog.library.savedShows, (s) => ({
      added_at: s.addedAt,
      show: renderSimplifiedShow(ctx, ctx.catalog.showById.get(s.showId) as FakeShow),
    }))
  })

  app.get('/v1/me/episodes', (c) => {
    const ctx = renderContext(runtime, c)
    return userPage(c, ctx.catalog.library.savedEpisodes, (s) => ({
      added_at: s.addedAt,
      episode: renderEpisode(ctx, ctx.catalog.episodeById.get(s.episodeId) as FakeEpisode),
    }))
  })

  // The ranking moves from one simulated day to the next (`topIds`); each user has their own.
  app.get('/v1/me/top/:type{artists|tracks}', (c) => {
    const userId = requireUser(c)
    requireScope(c, 'user-top-read')
    const ctx = renderContext(runtime, c)
    const type = c.req.param('type') as 'artists' | 'tracks'
    const range = (queryOf(c).get('time_range') ?? 'medium_term') as TimeRange
    if (!TIME_RANGES.includes(range))
      throw new SpotifyHttpError({ status: 400, message: 'Invalid time range' })
    const ids = topIds({ catalog: ctx.catalog, type, range, userId, now: runtime.now() })
    if (type === 'artists') {
      const artists = ids.map((id) => ctx.catalog.artistById.get(id)).filter(defined)
      return userPage(c, artists, (a: FakeArtist) => renderArtist(ctx, a))
    }
    const tracks = ids.map((id) => ctx.catalog.trackById.get(id)).filter(defined)
    return userPage(c, tracks, (t: FakeTrack) => renderTrack(ctx, t))
  })

  // Cursor paging by artist id: `after` is the last id of the previous page (exclusive), the list is in
  // id order; `cursors.after` and `next` are null on the last page. Full artist objects, under `artists`.
  app.get('/v1/me/following', (c) => {
    const userId = requireUser(c)
    requireScope(c, 'user-follow-read')
    const ctx = renderContext(runtime, c)
    const query = queryOf(c)
    const type = query.get('type')
    if (type !== 'artist')
      throw new SpotifyHttpError({ status: 400, message: 'Bad request: type must be artist' })
    const { limit } = parsePageWindow({ query, defaultLimit: 20, maxLimit: 50 })
    const after = query.get('after')
    if (after !== null && !/^[A-Za-z0-9]{1,64}$/.test(after))
      throw new SpotifyHttpError({ status: 400, message: 'Invalid after cursor' })
    const ids = followedArtistIds({ catalog: ctx.catalog, userId })
    const rest = after === null ? ids : ids.filter((id) => id > after)
    const page = rest.slice(0, limit)
    const last = page.at(-1)
    const more = last !== undefined && rest.length > page.length
    const url = (params: Record<string, string>) =>
      `${ctx.origin}${c.req.path}?${new URLSearchParams({ type: 'artist', ...params, limit: String(limit) })}`
    return c.json({
      artists: {
        href: url(after === null ? {} : { after }),
        limit,
        next: more ? url({ after: last }) : null,
        cursors: { after: more ? last : null },
        total: ids.length,
        items: page.map((id) => renderArtist(ctx, ctx.catalog.artistById.get(id) as FakeArtist)),
      },
    })
  })

  // Cursor paging: newest first; `before`/`after` are ms timestamps and exclusive; `next` follows `before`.
  // Only the last 50 plays by the fake's clock exist (Spotify's cap), however the caller pages.
  app.get('/v1/me/player/recently-played', (c) => {
    requireUser(c)
    requireScope(c, 'user-read-recently-played')
    const ctx = renderContext(runtime, c)
    const query = queryOf(c)
    const { limit } = parsePageWindow({ query, defaultLimit: 20, maxLimit: 50 })
    const before = readCursor(query, 'before')
    const after = readCursor(query, 'after')
    if (before !== undefined && after !== undefined) {
      throw new SpotifyHttpError({ status: 400, message: 'Only one of before or after can be specified' })
    }
    const plays = playHistory(ctx.catalog.library, runtime.now())
    const page =
      after === undefined
        ? plays.filter((p) => before === undefined || p.playedAt < before).slice(0, limit)
        : plays.filter((p) => p.playedAt > after).slice(-limit)
    const newest = page[0]
    const oldest = page.at(-1)
    const olderExist = oldest !== undefined && plays.some((p) => p.playedAt < oldest.playedAt)
    const url = (params: Record<string, string>) =>
      `${ctx.origin}${c.req.path}?${new URLSearchParams({ ...params, limit: String(limit) })}`
    return c.json({
      items: page.map((p) => ({
        track: renderTrack(ctx, ctx.catalog.trackById.get(p.trackId) as FakeTrack),
        played_at: new Date(p.playedAt).toISOString(),
        context: p.contextPlaylistId
          ? {
              type: 'playlist',
              href: `${ctx.origin}/v1/playlists/${p.contextPlaylistId}`,
              external_urls: { spotify: `https://open.spotify.com/playlist/${p.contextPlaylistId}` },
              uri: `spotify:playlist:${p.contextPlaylistId}`,
            }
          : null,
      })),
      next: after === undefined && olderExist ? url({ before: String(oldest.playedAt) }) : null,
      cursors: newest && oldest ? { after: String(newest.playedAt), before: String(oldest.playedAt) } : null,
      limit,
      href: `${ctx.origin}${c.req.path}?${query}`,
    })
  })
  return app
}
