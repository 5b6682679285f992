/** @module Catalog responses: several tracks/albums/artists (null for unknown ids), album tracks, artist albums, playlists lists. */
import { z } from 'zod'
import { AlbumSchema, SimplifiedAlbumSchema } from './album.ts'
import { ArtistSchema } from './artist.ts'
import { pagingSchema } from './paging.ts'
import { SimplifiedPlaylistSchema } from './playlist.ts'
import { SimplifiedTrackSchema } from './simplified-track.ts'
import { TrackSchema } from './track.ts'

/** GET /tracks?ids= (extended quota only since 2026). An unknown id comes back as null in its slot. */
export const SeveralTracksSchema = z.looseObject({ tracks: z.array(TrackSchema.nullable()) })
export type SeveralTracks = z.infer<typeof SeveralTracksSchema>

/** GET /albums?ids= (extended quota only since 2026). */
export const SeveralAlbumsSchema = z.looseObject({ albums: z.array(AlbumSchema.nullable()) })
export type SeveralAlbums = z.infer<typeof SeveralAlbumsSchema>

/** GET /artists?ids= (extended quota only since 2026). */
export const SeveralArtistsSchema = z.looseObject({ artists: z.array(ArtistSchema.nullable()) })
export type SeveralArtists = z.infer<typeof SeveralArtistsSchema>

/** GET /albums/{id}/tracks. */
export const AlbumTracksPageSchema = pagingSchema(SimplifiedTrackSchema)
export type AlbumTracksPage = z.infer<typeof AlbumTracksPageSchema>

/** GET /artists/{id}/albums (`limit` max 10 for development-mode apps). */
export const ArtistAlbumsPageSchema = pagingSchema(SimplifiedAlbumSchema)
export type ArtistAlbumsPage = z.infer<typeof ArtistAlbumsPageSchema>

/**
 * GET /me/playlists and /users/{id}/playlists. Entries can be null (seen in real playlist pages
 * since 2024), so each slot is nullable rather than failing the whole page.
 */
export const UserPlaylistsPageSchema = pagingSchema(SimplifiedPlaylistSchema.nullable())
export type UserPlaylistsPage = z.infer<typeof UserPlaylistsPageSchema>
