/** @module The authorised user's endpoints (user token required): profile, playlists, saved tracks, top items, followed artists, history. */
import {
  type CurrentUser,
  CurrentUserSchema,
  type FollowedArtists,
  FollowedArtistsSchema,
  type RecentlyPlayed,
  RecentlyPlayedSchema,
  type SavedAlbumsPage,
  SavedAlbumsPageSchema,
  type SavedEpisodesPage,
  SavedEpisodesPageSchema,
  type SavedShowsPage,
  SavedShowsPageSchema,
  type SavedTracksPage,
  SavedTracksPageSchema,
  type TopArtistsPage,
  TopArtistsPageSchema,
  type TopTracksPage,
  TopTracksPageSchema,
  type UserPlaylistsPage,
  UserPlaylistsPageSchema,
} from '@spotify-lake/schemas'
import type { z } from 'zod'
import { PAGE_SIZES } from '../mode.ts'
import { cursorPages, type OffsetPageShape, offsetPages } from '../paging.ts'
import type { Fetched, Params } from '../types.ts'
import type { EndpointContext } from './context.ts'

function userPages<S extends z.ZodType<OffsetPageShape>>({
  context,
  endpoint,
  pathParams,
  params = {},
  schema,
  pageSize,
}: {
  context: EndpointContext
  endpoint: string
  pathParams?: Params
  params?: Params
  schema: S
  pageSize: number
}): AsyncGenerator<Fetched<z.output<S>>> {
  return offsetPages({
    pageSize,
    fetchPage: async ({ offset, limit }) =>
      context.api.call({
        endpoint,
        pathParams,
        params: { ...params, limit: String(limit), offset: String(offset) },
        schema,
        token: 'user',
        mode: await context.mode(),
      }),
  })
}

/**
 * `GET /me`: the user of the refresh token. Validated as the public user plus `account_id` (`id` tells
 * the user's own playlists from followed ones; `account_id` is the stable key of an account); private
 * fields such as `email` and `country` pass through untouched in `raw.body` and the loose object.
 */
export async function getCurrentUser({
  context,
}: {
  context: EndpointContext
}): Promise<Fetched<CurrentUser>> {
  return context.api.call({
    endpoint: '/me',
    schema: CurrentUserSchema,
    token: 'user',
    mode: await context.mode(),
  })
}

export function myPlaylists({
  context,
}: {
  context: EndpointContext
}): AsyncGenerator<Fetched<UserPlaylistsPage>> {
  return userPages({
    context,
    endpoint: '/me/playlists',
    schema: UserPlaylistsPageSchema,
    pageSize: PAGE_SIZES.myPlaylists,
  })
}

/**
 * `GET /me/tracks` (user token): the user's saved tracks, newest `added_at` first, 50 a page (the
 * OpenAPI `limit` maximum), each with its full track object.
 */
export function savedTracks({
  context,
  market,
}: {
  context: EndpointContext
  market?: string | undefined
}): AsyncGenerator<Fetched<SavedTracksPage>> {
  return userPages({
    context,
    endpoint: '/me/tracks',
    params: market ? { market } : {},
    schema: SavedTracksPageSchema,
    pageSize: PAGE_SIZES.savedTracks,
  })
}

/**
 * `GET /me/albums` (user token): the user's saved albums, newest `added_at` first, 50 a page (the
 * OpenAPI `limit` maximum), each with its full album object.
 */
export function savedAlbums({
  context,
  market,
}: {
  context: EndpointContext
  market?: string | undefined
}): AsyncGenerator<Fetched<SavedAlbumsPage>> {
  return userPages({
    context,
    endpoint: '/me/albums',
    params: market ? { market } : {},
    schema: SavedAlbumsPageSchema,
    pageSize: PAGE_SIZES.savedAlbums,
  })
}

/** `GET /me/shows` (user token): the user's saved podcast shows, newest `added_at` first, 50 a page. */
export function savedShows({
  context,
}: {
  context: EndpointContext
}): AsyncGenerator<Fetched<SavedShowsPage>> {
  return userPages({
    context,
    endpoint: '/me/shows',
    schema: SavedShowsPageSchema,
    pageSize: PAGE_SIZES.savedShows,
  })
}

/** `GET /me/episodes` (user token): the user's saved episodes, newest `added_at` first, 50 a page. */
export function savedEpisodes({
  context,
  market,
}: {
  context: EndpointContext
  market?: string | undefined
}): AsyncGenerator<Fetched<SavedEpisodesPage>> {
  return userPages({
    context,
    endpoint: '/me/episodes',
    params: market ? { market } : {},
    schema: SavedEpisodesPageSchema,
    pageSize: PAGE_SIZES.savedEpisodes,
  })
}

export type TimeRange = 'short_term' | 'medium_term' | 'long_term'

export function topItems(options: {
  context: EndpointContext
  type: 'artists'
  timeRange?: TimeRange | undefined
}): AsyncGenerator<Fetched<TopArtistsPage>>
export function topItems(options: {
  context: EndpointContext
  type: 'tracks'
  timeRange?: TimeRange | undefined
}): AsyncGenerator<Fetched<TopTracksPage>>
export function topItems({
  context,
  type,
  timeRange = 'medium_term',
}: {
  context: EndpointContext
  type: 'artists' | 'tracks'
  timeRange?: TimeRange | undefined
}): AsyncGenerator<Fetched<TopArtistsPage | TopTracksPage>> {
  return userPages({
    context,
    endpoint: `/me/top/${type}`,
    params: { time_range: timeRange },
    schema: type === 'artists' ? TopArtistsPageSchema : TopTracksPageSchema,
    pageSize: PAGE_SIZES.topItems,
  })
}

/**
 * `GET /me/following?type=artist`: the artists the user follows, 50 a page (Spotify's maximum),
 * following the `after` cursor (the last artist id of a page) in each page's `next` until it is null.
 * `after` starts from a cursor a previous call stopped at.
 */
export async function* followedArtists({
  context,
  after,
}: {
  context: EndpointContext
  after?: string | undefined
}): AsyncGenerator<Fetched<FollowedArtists>> {
  let params: Params = { type: 'artist', limit: String(PAGE_SIZES.followedArtists) }
  if (after !== undefined) params.after = after
  for (;;) {
    const page = await context.api.call({
      endpoint: '/me/following',
      params,
      schema: FollowedArtistsSchema,
      token: 'user',
      mode: await context.mode(),
    })
    yield page
    // The page sits under `artists`; a `next` that does not move the cursor would loop forever.
    const { next, items } = page.data.artists
    if (!next || items.length === 0) return
    const following = Object.fromEntries(new URL(next).searchParams)
    if (following.after === undefined || following.after === params.after) return
    params = following
  }
}

/**
 * The user's play history, newest first, following the `before` cursor Spotify puts in `next`.
 * `after` (ms since epoch) fetches only plays newer than a previous run's high-water mark; then
 * `next` is not followed, because its `before` cursor would walk back past that mark.
 */
export function recentlyPlayed({
  context,
  after,
  before,
}: {
  context: EndpointContext
  after?: number | undefined
  before?: number | undefined
}): AsyncGenerator<Fetched<RecentlyPlayed>> {
  const first: Params = { limit: String(PAGE_SIZES.recentlyPlayed) }
  if (after !== undefined) first.after = String(after)
  if (before !== undefined) first.before = String(before)
  return cursorPages({
    first,
    follow: after === undefined,
    fetchPage: async (params) =>
      context.api.call({
        endpoint: '/me/player/recently-played',
        params,
        schema: RecentlyPlayedSchema,
        token: 'user',
        mode: await context.mode(),
      }),
  })
}
