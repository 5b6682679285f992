/** @module The simplified track (album tracks) and the fields every catalog track shares. */
import { z } from 'zod'
import { SimplifiedArtistSchema } from './artist.ts'
import { ExternalUrlsSchema, MarketsSchema, RestrictionsSchema } from './common.ts'
import { spotifyObject } from './object.ts'

/**
 * Track relinking: the track originally asked for. Removed for development-mode apps (2026). Spotify has
 * sent it with `id: null` (rspotify#486, SpotifyAPI#62).
 */
export const LinkedTrackSchema = spotifyObject({
  id: z.string().nullish(),
  type: z.string(),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
})
export type LinkedTrack = z.infer<typeof LinkedTrackSchema>

/** The fields of a catalog track that do not depend on its album (shared with the full track). */
export const trackFields = {
  id: z.string(),
  name: z.string(),
  type: z.literal('track'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  artists: z.array(SimplifiedArtistSchema),
  duration_ms: z.int(),
  explicit: z.boolean(),
  disc_number: z.int(),
  track_number: z.int(),
  /** Absent in 2015-era responses; `false` for catalog tracks. */
  is_local: z.boolean().optional(),
  /** Only when a `market` was given. */
  is_playable: z.boolean().optional(),
  restrictions: RestrictionsSchema.optional(),
  /** Removed for new apps in Nov 2024 (null or absent). */
  preview_url: z.string().nullish(),
  /** Removed for development-mode apps (2026). */
  available_markets: MarketsSchema.optional(),
  /** Removed for development-mode apps (2026). */
  linked_from: LinkedTrackSchema.optional(),
}

/** GET /albums/{id}/tracks items and the tracks inside a full album. */
export const SimplifiedTrackSchema = spotifyObject(trackFields)
export type SimplifiedTrack = z.infer<typeof SimplifiedTrackSchema>
