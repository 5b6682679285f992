/** @module The user's library and history: saved tracks/albums, recently played, top items. */
import { z } from 'zod'
import { AlbumSchema } from './album.ts'
import { ArtistSchema } from './artist.ts'
import { ExternalUrlsSchema } from './common.ts'
import { EpisodeSchema, ShowSchema } from './episode.ts'
import { spotifyObject } from './object.ts'
import { cursorPagingSchema, pagingSchema } from './paging.ts'
import { TrackSchema } from './track.ts'

/** An item of GET /me/tracks (not renamed in 2026). */
export const SavedTrackSchema = spotifyObject({ added_at: z.string(), track: TrackSchema })
export type SavedTrack = z.infer<typeof SavedTrackSchema>
export const SavedTracksPageSchema = pagingSchema(SavedTrackSchema)
export type SavedTracksPage = z.infer<typeof SavedTracksPageSchema>

/** An item of GET /me/albums. */
export const SavedAlbumSchema = spotifyObject({ added_at: z.string(), album: AlbumSchema })
export type SavedAlbum = z.infer<typeof SavedAlbumSchema>
export const SavedAlbumsPageSchema = pagingSchema(SavedAlbumSchema)
export type SavedAlbumsPage = z.infer<typeof SavedAlbumsPageSchema>

/** An item of GET /me/shows: a simplified show. */
export const SavedShowSchema = spotifyObject({ added_at: z.string(), show: ShowSchema })
export type SavedShow = z.infer<typeof SavedShowSchema>
export const SavedShowsPageSchema = pagingSchema(SavedShowSchema)
export type SavedShowsPage = z.infer<typeof SavedShowsPageSchema>

/** An item of GET /me/episodes: a full episode with its show. */
export const SavedEpisodeSchema = spotifyObject({ added_at: z.string(), episode: EpisodeSchema })
export type SavedEpisode = z.infer<typeof SavedEpisodeSchema>
export const SavedEpisodesPageSchema = pagingSchema(SavedEpisodeSchema)
export type SavedEpisodesPage = z.infer<typeof SavedEpisodesPageSchema>

/** Where a play happened (playlist, album, artist, show). */
export const PlayContextSchema = spotifyObject({
  type: z.string(),
  uri: z.string(),
  href: z.string().nullish(),
  external_urls: ExternalUrlsSchema.optional(),
})
export type PlayContext = z.infer<typeof PlayContextSchema>

/** An item of GET /me/player/recently-played. `context` is null when played outside a context. */
export const PlayHistorySchema = spotifyObject({
  track: TrackSchema,
  played_at: z.string(),
  context: PlayContextSchema.nullable(),
})
export type PlayHistory = z.infer<typeof PlayHistorySchema>

/** GET /me/player/recently-played: cursor paging, no offset or total. */
export const RecentlyPlayedSchema = cursorPagingSchema(PlayHistorySchema)
export type RecentlyPlayed = z.infer<typeof RecentlyPlayedSchema>

/** GET /me/top/artists and GET /me/top/tracks. */
export const TopArtistsPageSchema = pagingSchema(ArtistSchema)
export type TopArtistsPage = z.infer<typeof TopArtistsPageSchema>
export const TopTracksPageSchema = pagingSchema(TrackSchema)
export type TopTracksPage = z.infer<typeof TopTracksPageSchema>

/** GET /me/following?type=artist: a cursor page of full artists under `artists` (cursor `after` = last artist id). */
export const FollowedArtistsSchema = spotifyObject({ artists: cursorPagingSchema(ArtistSchema) })
export type FollowedArtists = z.infer<typeof FollowedArtistsSchema>
