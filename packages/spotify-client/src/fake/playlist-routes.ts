/** @module Playlist endpoints of the fake: GET playlist, its items (/items, legacy /tracks), /me/playlists, /users/{id}/playlists. */
import { type Context, Hono } from 'hono'
import type { FakePlaylist } from './catalog-types.ts'
import { projectFields } from './fields.ts'
import { SpotifyHttpError } from './http-errors.ts'
import { buildPage, type PageWindow, parsePageWindow } from './paging.ts'
import type { RenderContext } from './render.ts'
import { itemNames, renderPlaylist, renderPlaylistItem, renderSimplifiedPlaylist } from './render-playlist.ts'
import {
  type FakeEnv,
  type FakeRuntime,
  playlistAccess,
  queryOf,
  renderContext,
  requireUser,
} from './route-context.ts'

/** The first page embedded in GET /playlists/{id} (Spotify embeds up to 100 items). */
const EMBEDDED_LIMIT = 100

const itemsPage = ({
  ctx,
  playlist,
  path,
  query,
  window,
}: {
  ctx: RenderContext
  playlist: FakePlaylist
  path: string
  query: URLSearchParams
  window: PageWindow
}) =>
  buildPage({
    origin: ctx.origin,
    path,
    query,
    window,
    total: playlist.entries.length,
    render: (start, end) => playlist.entries.slice(start, end).map((entry) => renderPlaylistItem(ctx, entry)),
  })

const pick = (query: URLSearchParams, name: string): Record<string, string> => {
  const value = query.get(name)
  return value === null ? {} : { [name]: value }
}

/** Playlist items carry episodes as episodes only when the client lists them in `additional_types`. */
const itemsContext = (runtime: FakeRuntime, c: Context<FakeEnv>): RenderContext => {
  const types = (queryOf(c).get('additional_types') ?? '').split(',')
  return { ...renderContext(runtime, c), episodesInTrackShape: !types.includes('episode') }
}

export const createPlaylistRoutes = ({ runtime }: { runtime: FakeRuntime }): Hono<FakeEnv> => {
  const app = new Hono<FakeEnv>()

  app.get('/v1/playlists/:id', (c) => {
    const ctx = itemsContext(runtime, c)
    const { playlist, itemsReadable } = playlistAccess({
      playlist: ctx.catalog.playlistById.get(c.req.param('id')),
      grant: c.get('grant'),
      mode: ctx.mode,
    })
    const list = itemNames(ctx.mode).list
    const page = itemsReadable
      ? itemsPage({
          ctx,
          playlist,
          path: `/v1/playlists/${playlist.id}/${list}`,
          // The embedded page's links keep additional_types so following `next` gives the same item shapes.
          query: new URLSearchParams(pick(queryOf(c), 'additional_types')),
          window: { offset: 0, limit: EMBEDDED_LIMIT },
        })
      : undefined
    return c.json(projectFields(renderPlaylist(ctx, playlist, page), queryOf(c).get('fields')))
  })

  const items = (legacy: boolean) =>
    app.get(`/v1/playlists/:id/${legacy ? 'tracks' : 'items'}`, (c) => {
      const ctx = itemsContext(runtime, c)
      const query = queryOf(c)
      const { playlist, itemsReadable } = playlistAccess({
        playlist: ctx.catalog.playlistById.get(c.req.param('id')),
        grant: c.get('grant'),
        mode: ctx.mode,
      })
      if (!itemsReadable) throw new SpotifyHttpError({ status: 403, message: 'Forbidden' })
      const window = parsePageWindow({ query, defaultLimit: legacy ? 100 : 20, maxLimit: legacy ? 100 : 50 })
      return c.json(
        projectFields(itemsPage({ ctx, playlist, path: c.req.path, query, window }), query.get('fields')),
      )
    })
  items(false)
  items(true)

  const playlistList = (c: Context<FakeEnv>, playlists: FakePlaylist[]) => {
    const ctx = renderContext(runtime, c)
    const query = queryOf(c)
    const window = parsePageWindow({ query, defaultLimit: 20, maxLimit: 50, maxOffset: 100_000 })
    return c.json(
      buildPage({
        origin: ctx.origin,
        path: c.req.path,
        query,
        window,
        total: playlists.length,
        render: (start, end) => playlists.slice(start, end).map((p) => renderSimplifiedPlaylist(ctx, p)),
      }),
    )
  }

  // What the user owns, collaborates on or follows (`listedBy`), the editorial one included (404 in development).
  app.get('/v1/me/playlists', (c) => {
    const userId = requireUser(c)
    return playlistList(
      c,
      runtime.catalog().playlists.filter((p) => p.listedBy.includes(userId)),
    )
  })

  app.get('/v1/users/:userId/playlists', (c) => {
    const userId = c.req.param('userId')
    const grant = c.get('grant')
    const self = grant?.kind === 'user' && grant.userId === userId
    const owned = runtime.catalog().playlists.filter((p) => p.ownerId === userId && (p.public || self))
    return playlistList(c, owned)
  })
  return app
}
