/** @module The endpoint cases of the contract test: request, OpenAPI path template, zod schema, modes. */
import {
  AlbumSchema,
  AlbumTracksPageSchema,
  ArtistAlbumsPageSchema,
  ArtistSchema,
  EpisodeSchema,
  FollowedArtistsSchema,
  PlaylistItemsPageSchema,
  PlaylistSchema,
  pagingSchema,
  RecentlyPlayedSchema,
  SavedAlbumsPageSchema,
  SavedEpisodesPageSchema,
  SavedShowsPageSchema,
  SavedTracksPageSchema,
  SeveralAlbumsSchema,
  SeveralArtistsSchema,
  SeveralTracksSchema,
  SimplifiedAlbumSchema,
  SimplifiedPlaylistSchema,
  TopArtistsPageSchema,
  TopTracksPageSchema,
  TrackSchema,
  UserPlaylistsPageSchema,
  UserSchema,
  WebApiErrorSchema,
} from '@spotify-lake/schemas'
import { z } from 'zod'
import type { FakeApiMode, FakeCatalog, FakeSpotifyOptions } from '../../../src/fake/index.ts'

export interface Case {
  name: string
  /** Concrete request path under /v1. */
  path: string
  /** The OpenAPI path template it answers (the file has no `/v1` prefix). */
  template: string
  schema: z.ZodType
  status?: number
  token?: 'user' | 'app' | 'none'
  modes?: FakeApiMode[]
}

/** One catalog for both modes; the server and the case list are built from the same options. */
export const OPTIONS: FakeSpotifyOptions = { seed: 'contract', sizes: [60, 12, 12, 12], tracks: 120 }

export const buildCases = (catalog: FakeCatalog): Case[] => {
  const mine = catalog.playlists.find((p) => p.ownerId === catalog.user.id && p.entries.length >= 8)
  const theirs = catalog.playlists.find((p) => p.ownerId !== catalog.user.id && p.public && !p.editorial)
  const track = catalog.tracks.find((t) => t.relinked)
  const album = catalog.albums[0]
  const artist = catalog.artists[0]
  const episode = catalog.episodes[0]
  if (!mine || !theirs || !track || !album || !artist || !episode) throw new Error('catalog lacks a case')
  const ids = (list: { id: string }[], n: number) =>
    list
      .slice(0, n)
      .map((x) => x.id)
      .join(',')
  return [
    {
      name: 'playlist',
      path: `/playlists/${mine.id}`,
      template: '/playlists/{playlist_id}',
      schema: PlaylistSchema,
    },
    {
      name: 'playlist items',
      path: `/playlists/${mine.id}/items?limit=50&additional_types=track,episode`,
      template: '/playlists/{playlist_id}/items',
      schema: PlaylistItemsPageSchema,
    },
    {
      name: 'playlist items, episodes in track shape',
      path: `/playlists/${mine.id}/items?limit=50`,
      template: '/playlists/{playlist_id}/items',
      schema: PlaylistItemsPageSchema,
    },
    {
      name: 'legacy playlist tracks',
      path: `/playlists/${mine.id}/tracks?limit=100`,
      template: '/playlists/{playlist_id}/tracks',
      schema: PlaylistItemsPageSchema,
      modes: ['extended'],
    },
    {
      name: 'my playlists',
      path: '/me/playlists?limit=50',
      template: '/me/playlists',
      schema: UserPlaylistsPageSchema,
    },
    {
      name: "a user's playlists",
      path: `/users/${theirs.ownerId}/playlists`,
      template: '/users/{user_id}/playlists',
      schema: UserPlaylistsPageSchema,
      modes: ['extended'],
    },
    { name: 'me', path: '/me', template: '/me', schema: UserSchema },
    {
      name: 'track',
      path: `/tracks/${track.id}`,
      template: '/tracks/{id}',
      schema: TrackSchema,
      token: 'app',
    },
    {
      name: 'album',
      path: `/albums/${album.id}`,
      template: '/albums/{id}',
      schema: AlbumSchema,
      token: 'app',
    },
    {
      name: 'album tracks',
      path: `/albums/${album.id}/tracks?limit=50&offset=50`,
      template: '/albums/{id}/tracks',
      schema: AlbumTracksPageSchema,
      token: 'app',
    },
    {
      name: 'artist',
      path: `/artists/${artist.id}`,
      template: '/artists/{id}',
      schema: ArtistSchema,
      token: 'app',
    },
    {
      name: 'artist albums',
      path: `/artists/${artist.id}/albums?limit=10`,
      template: '/artists/{id}/albums',
      schema: ArtistAlbumsPageSchema,
      token: 'app',
    },
    { name: 'episode', path: `/episodes/${episode.id}`, template: '/episodes/{id}', schema: EpisodeSchema },
    {
      name: 'search',
      path: '/search?q=e&type=track,album,artist,playlist&limit=10',
      template: '/search',
      schema: z.looseObject({
        tracks: pagingSchema(TrackSchema),
        albums: pagingSchema(SimplifiedAlbumSchema),
        artists: pagingSchema(ArtistSchema),
        playlists: pagingSchema(SimplifiedPlaylistSchema.nullable()),
      }),
      token: 'app',
    },
    {
      name: 'several tracks',
      path: `/tracks?ids=${ids(catalog.tracks, 50)}`,
      template: '/tracks',
      schema: SeveralTracksSchema,
      modes: ['extended'],
    },
    {
      name: 'several albums',
      path: `/albums?ids=${ids(catalog.albums, 20)}`,
      template: '/albums',
      schema: SeveralAlbumsSchema,
      modes: ['extended'],
    },
    {
      name: 'several artists',
      path: `/artists?ids=${ids(catalog.artists, 12)}`,
      template: '/artists',
      schema: SeveralArtistsSchema,
      modes: ['extended'],
    },
    {
      name: 'saved tracks',
      path: '/me/tracks?limit=50',
      template: '/me/tracks',
      schema: SavedTracksPageSchema,
    },
    { name: 'saved albums', path: '/me/albums', template: '/me/albums', schema: SavedAlbumsPageSchema },
    { name: 'saved shows', path: '/me/shows', template: '/me/shows', schema: SavedShowsPageSchema },
    {
      name: 'saved episodes',
      path: '/me/episodes?limit=50',
      template: '/me/episodes',
      schema: SavedEpisodesPageSchema,
    },
    {
      name: 'top artists',
      path: '/me/top/artists',
      template: '/me/top/artists',
      schema: TopArtistsPageSchema,
    },
    {
      name: 'top tracks',
      path: '/me/top/tracks?time_range=short_term&limit=50',
      template: '/me/top/tracks',
      schema: TopTracksPageSchema,
    },
    {
      // A first page that has a next one (the user follows 8 artists): the last page's `next` and
      // `cursors.after` are null, which the file's CursorPagingObject does not allow.
      name: 'followed artists',
      path: '/me/following?type=artist&limit=5',
      template: '/me/following',
      schema: FollowedArtistsSchema,
    },
    {
      // A first page that has a next one (the history holds 50 plays): the last page ends with
      // `next: null`, which the file's CursorPagingObject does not allow.
      name: 'recently played',
      path: '/me/player/recently-played?limit=20',
      template: '/me/player/recently-played',
      schema: RecentlyPlayedSchema,
    },
    // Errors: the OpenAPI file documents 401/403/429 bodies for every operation.
    {
      name: '401 without a token',
      path: `/tracks/${track.id}`,
      template: '/tracks/{id}',
      schema: WebApiErrorSchema,
      status: 401,
      token: 'none',
    },
    {
      name: "403 for someone else's playlist items",
      path: `/playlists/${theirs.id}/items`,
      template: '/playlists/{playlist_id}/items',
      schema: WebApiErrorSchema,
      status: 403,
      modes: ['development'],
    },
    {
      name: '403 for a removed endpoint',
      path: `/tracks?ids=${track.id}`,
      template: '/tracks',
      schema: WebApiErrorSchema,
      status: 403,
      modes: ['development'],
    },
  ]
}
