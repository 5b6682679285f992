/** @module Album payloads: the simplified album (in tracks, artist albums) and the full album object. */
import { z } from 'zod'
import { SimplifiedArtistSchema } from './artist.ts'
import {
  CopyrightSchema,
  ExternalIdsSchema,
  ExternalUrlsSchema,
  ImageSchema,
  MarketsSchema,
  ReleaseDatePrecisionSchema,
  RestrictionsSchema,
} from './common.ts'
import { spotifyObject } from './object.ts'
import { pagingSchema } from './paging.ts'
import { SimplifiedTrackSchema } from './simplified-track.ts'

/**
 * Fields every simplified album has. `artists`, `release_date` and `total_tracks` are optional only
 * because the 2014-era API (artist albums, new releases) did not send them; current responses do.
 * `album_type`/`album_group` are plain strings: Spotify treats them as open-ended labels, and a new
 * label must not make a whole page of tracks fail validation.
 */
const albumFields = {
  id: z.string(),
  name: z.string(),
  type: z.literal('album'),
  uri: z.string(),
  href: z.string(),
  album_type: z.string(),
  external_urls: ExternalUrlsSchema,
  images: z.array(ImageSchema),
  artists: z.array(SimplifiedArtistSchema).optional(),
  release_date: z.string().optional(),
  release_date_precision: ReleaseDatePrecisionSchema.optional(),
  total_tracks: z.int().optional(),
  restrictions: RestrictionsSchema.optional(),
  is_playable: z.boolean().optional(),
  /** Removed for development-mode apps (2026). */
  available_markets: MarketsSchema.optional(),
  /** Only on artist albums; removed for development-mode apps (2026). */
  album_group: z.string().optional(),
}

export const SimplifiedAlbumSchema = spotifyObject(albumFields)
export type SimplifiedAlbum = z.infer<typeof SimplifiedAlbumSchema>

/** GET /albums/{id}. `label`, `popularity` (and `genres`) are gone for development-mode apps (2026). */
export const AlbumSchema = spotifyObject({
  ...albumFields,
  artists: z.array(SimplifiedArtistSchema),
  release_date: z.string(),
  release_date_precision: ReleaseDatePrecisionSchema,
  total_tracks: z.int().optional(),
  tracks: pagingSchema(SimplifiedTrackSchema),
  copyrights: z.array(CopyrightSchema).optional(),
  external_ids: ExternalIdsSchema.optional(),
  genres: z.array(z.string()).optional(),
  label: z.string().optional(),
  popularity: z.int().optional(),
})
export type Album = z.infer<typeof AlbumSchema>
