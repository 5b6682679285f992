/** @module Catalog endpoints of the fake: tracks, albums, artists, episodes, search, batch lookups, /me. */
import { type Context, Hono } from 'hono'
import type { FakeAlbum } from './catalog-types.ts'
import { SpotifyHttpError } from './http-errors.ts'
import { buildPage, parsePageWindow } from './paging.ts'
import {
  type RenderContext,
  renderAlbum,
  renderArtist,
  renderEpisode,
  renderSimplifiedAlbum,
  renderSimplifiedShow,
  renderSimplifiedTrack,
  renderTrack,
} from './render.ts'
import { renderSimplifiedPlaylist } from './render-playlist.ts'
import {
  type FakeEnv,
  type FakeRuntime,
  notFound,
  queryOf,
  renderContext,
  requireId,
  requireUser,
} from './route-context.ts'

/** Spotify's batch limits: several tracks 50 ids, several artists 50, several albums 20. */
export const BATCH_LIMITS = { tracks: 50, artists: 50, albums: 20 } as const

const albumTracksPage = (ctx: RenderContext, album: FakeAlbum, path: string, query: URLSearchParams) =>
  buildPage({
    origin: ctx.origin,
    path,
    query,
    window: parsePageWindow({ query, defaultLimit: 20, maxLimit: 50 }),
    total: album.trackIds.length,
    render: (start, end) =>
      album.trackIds.slice(start, end).flatMap((id) => {
        const track = ctx.catalog.trackById.get(id)
        return track ? [renderSimplifiedTrack(ctx, track)] : []
      }),
  })

const readIds = (c: Context, max: number): string[] => {
  const raw = queryOf(c).get('ids')
  if (!raw) throw new SpotifyHttpError({ status: 400, message: 'invalid request' })
  const ids = raw.split(',')
  if (ids.length > max) throw new SpotifyHttpError({ status: 400, message: 'Too many ids requested' })
  return ids.map(requireId)
}

/** Search and Artist's Albums allow only 10 results per page for development-mode apps (2026). */
const searchLimits = (ctx: RenderContext) =>
  ctx.mode === 'development' ? { defaultLimit: 5, maxLimit: 10 } : { defaultLimit: 20, maxLimit: 50 }

const SEARCH_TYPES = ['album', 'artist', 'playlist', 'track', 'show', 'episode'] as const

export const createCatalogRoutes = ({ runtime }: { runtime: FakeRuntime }): Hono<FakeEnv> => {
  const app = new Hono<FakeEnv>()
  const ctxOf = (c: Context<FakeEnv>) => renderContext(runtime, c)

  app.get('/v1/tracks/:id', (c) => {
    const ctx = ctxOf(c)
    const track = ctx.catalog.trackById.get(requireId(c.req.param('id')))
    if (!track) throw notFound()
    return c.json(renderTrack(ctx, track))
  })
  app.get('/v1/albums/:id', (c) => {
    const ctx = ctxOf(c)
    const album = ctx.catalog.albumById.get(requireId(c.req.param('id')))
    if (!album) throw notFound()
    const page = albumTracksPage(
      ctx,
      album,
      `/v1/albums/${album.id}/tracks`,
      new URLSearchParams({ limit: '50' }),
    )
    return c.json(renderAlbum(ctx, album, page))
  })
  app.get('/v1/albums/:id/tracks', (c) => {
    const ctx = ctxOf(c)
    const album = ctx.catalog.albumById.get(requireId(c.req.param('id')))
    if (!album) throw notFound()
    return c.json(albumTracksPage(ctx, album, c.req.path, queryOf(c)))
  })
  app.get('/v1/artists/:id', (c) => {
    const ctx = ctxOf(c)
    const artist = ctx.catalog.artistById.get(requireId(c.req.param('id')))
    if (!artist) throw notFound()
    return c.json(renderArtist(ctx, artist))
  })
  app.get('/v1/artists/:id/albums', (c) => {
    const ctx = ctxOf(c)
    const artistId = requireId(c.req.param('id'))
    if (!ctx.catalog.artistById.has(artistId)) throw notFound()
    const query = queryOf(c)
    const groups = query.get('include_groups')?.split(',')
    const albums = ctx.catalog.albums
      .filter((a) => a.artistIds.includes(artistId))
      .map((album) => ({ album, group: album.artistIds[0] === artistId ? album.albumType : 'appears_on' }))
      .filter(({ group }) => !groups || groups.includes(group))
    return c.json(
      buildPage({
        origin: ctx.origin,
        path: c.req.path,
        query,
        window: parsePageWindow({ query, ...searchLimits(ctx) }),
        total: albums.length,
        render: (start, end) =>
          albums.slice(start, end).map(({ album, group }) => renderSimplifiedAlbum(ctx, album, group)),
      }),
    )
  })
  app.get('/v1/episodes/:id', (c) => {
    const ctx = ctxOf(c)
    const episode = ctx.catalog.episodeById.get(requireId(c.req.param('id')))
    if (!episode) throw notFound()
    return c.json(renderEpisode(ctx, episode))
  })

  // Batch lookups (extended mode only; the app removes them in development mode). Unknown ids come back as null.
  app.get('/v1/tracks', (c) => {
    const ctx = ctxOf(c)
    const tracks = readIds(c, BATCH_LIMITS.tracks).map((id) => ctx.catalog.trackById.get(id))
    return c.json({ tracks: tracks.map((t) => (t ? renderTrack(ctx, t) : null)) })
  })
  app.get('/v1/artists', (c) => {
    const ctx = ctxOf(c)
    const artists = readIds(c, BATCH_LIMITS.artists).map((id) => ctx.catalog.artistById.get(id))
    return c.json({ artists: artists.map((a) => (a ? renderArtist(ctx, a) : null)) })
  })
  app.get('/v1/albums', (c) => {
    const ctx = ctxOf(c)
    const albums = readIds(c, BATCH_LIMITS.albums).map((id) => ctx.catalog.albumById.get(id))
    const page = (a: FakeAlbum) =>
      albumTracksPage(ctx, a, `/v1/albums/${a.id}/tracks`, new URLSearchParams({ limit: '50' }))
    return c.json({ albums: albums.map((a) => (a ? renderAlbum(ctx, a, page(a)) : null)) })
  })

  app.get('/v1/search', (c) => {
    const ctx = ctxOf(c)
    const query = queryOf(c)
    const q = (query.get('q') ?? '').trim().toLowerCase()
    if (!q) throw new SpotifyHttpError({ status: 400, message: 'No search query' })
    const types = (query.get('type') ?? '').split(',').filter(Boolean)
    if (types.length === 0) throw new SpotifyHttpError({ status: 400, message: 'Missing parameter type' })
    if (!types.every((t) => (SEARCH_TYPES as readonly string[]).includes(t))) {
      throw new SpotifyHttpError({ status: 400, message: 'Bad search type field' })
    }
    const window = parsePageWindow({ query, ...searchLimits(ctx), maxOffset: 1000 })
    const hit = (name: string) => name.toLowerCase().includes(q)
    const { catalog } = ctx
    const sources: Record<(typeof SEARCH_TYPES)[number], () => unknown[]> = {
      track: () => catalog.tracks.filter((t) => hit(t.name)).map((t) => renderTrack(ctx, t)),
      artist: () => catalog.artists.filter((a) => hit(a.name)).map((a) => renderArtist(ctx, a)),
      album: () => catalog.albums.filter((a) => hit(a.name)).map((a) => renderSimplifiedAlbum(ctx, a)),
      playlist: () =>
        catalog.playlists.filter((p) => hit(p.name)).map((p) => renderSimplifiedPlaylist(ctx, p)),
      show: () => catalog.shows.filter((s) => hit(s.name)).map((s) => renderSimplifiedShow(ctx, s)),
      episode: () =>
        catalog.episodes
          .filter((e) => hit(e.name))
          .map((e) => {
            const { show: _show, ...simplified } = renderEpisode(ctx, e)
            return simplified
          }),
    }
    const body: Record<string, unknown> = {}
    for (const type of SEARCH_TYPES) {
      if (!types.includes(type)) continue
      const all = sources[type]()
      body[`${type}s`] = buildPage({
        origin: ctx.origin,
        path: c.req.path,
        query,
        window,
        total: all.length,
        render: (start, end) => all.slice(start, end),
      })
    }
    return c.json(body)
  })

  app.get('/v1/me', (c) => {
    const ctx = ctxOf(c)
    const userId = requireUser(c)
    const user = ctx.catalog.userById.get(userId)
    return c.json({
      account_id: user?.accountId ?? null,
      country: 'SE',
      display_name: user?.displayName ?? null,
      email: `${userId}@example.invalid`,
      explicit_content: { filter_enabled: false, filter_locked: false },
      external_urls: { spotify: `https://open.spotify.com/user/${userId}` },
      followers: { href: null, total: 0 },
      href: `${ctx.origin}/v1/users/${userId}`,
      id: userId,
      images: [],
      product: 'premium',
      type: 'user',
      uri: `spotify:user:${userId}`,
    })
  })
  return app
}
