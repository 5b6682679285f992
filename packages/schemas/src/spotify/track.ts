/** @module The full track: a catalog track or a local file, and `isLocalTrack` to tell them apart. */
import { z } from 'zod'
import { SimplifiedAlbumSchema } from './album.ts'
import { ExternalIdsSchema, ExternalUrlsSchema, ImageSchema, MarketsSchema } from './common.ts'
import { spotifyObject } from './object.ts'
import { trackFields } from './simplified-track.ts'

const LOCAL_URI_PREFIX = 'spotify:local:'

/** GET /tracks/{id}: a track from Spotify's catalog. Every id is a real Spotify id. */
export const CatalogTrackSchema = spotifyObject({
  ...trackFields,
  // `is_local` and the uri partition tracks exactly: catalog here, local in `LocalTrackSchema`.
  is_local: z.literal(false).optional(),
  uri: z.string().refine((uri) => !uri.startsWith(LOCAL_URI_PREFIX), 'a spotify:local: uri is a local file'),
  album: SimplifiedAlbumSchema,
  external_ids: ExternalIdsSchema.optional(),
  /** Removed for development-mode apps (2026). */
  popularity: z.int().optional(),
  /** Set (with `track: true`) when the item came from a playlist fetched with `additional_types`. */
  episode: z.boolean().optional(),
  track: z.boolean().optional(),
})
export type CatalogTrack = z.infer<typeof CatalogTrackSchema>

/**
 * A local file in a playlist: Spotify only knows what the user's file tags said. Ids, hrefs and
 * album fields are null (or absent when a client library re-encoded the response); the `uri` is
 * `spotify:local:artist:album:title:seconds`, the only stable handle.
 */
const LocalArtistSchema = spotifyObject({
  id: z.null().optional(),
  name: z.string().nullish(),
  type: z.literal('artist').optional(),
  uri: z.null().optional(),
  href: z.null().optional(),
  external_urls: ExternalUrlsSchema.optional(),
})
const LocalAlbumSchema = spotifyObject({
  id: z.null().optional(),
  name: z.string().nullish(),
  type: z.literal('album').optional(),
  uri: z.null().optional(),
  href: z.null().optional(),
  album_type: z.null().optional(),
  release_date: z.null().optional(),
  release_date_precision: z.null().optional(),
  images: z.array(ImageSchema).optional(),
  artists: z.array(LocalArtistSchema).optional(),
  external_urls: ExternalUrlsSchema.optional(),
  available_markets: MarketsSchema.optional(),
})
export const LocalTrackSchema = spotifyObject({
  is_local: z.literal(true),
  /** Null in every recorded local file; a string is tolerated rather than rejecting the item. */
  id: z.string().nullish(),
  href: z.string().nullish(),
  uri: z.string().startsWith(LOCAL_URI_PREFIX),
  name: z.string(),
  type: z.literal('track'),
  duration_ms: z.int(),
  explicit: z.boolean().optional(),
  disc_number: z.int().optional(),
  track_number: z.int().optional(),
  popularity: z.int().optional(),
  preview_url: z.null().optional(),
  album: LocalAlbumSchema,
  artists: z.array(LocalArtistSchema),
  external_ids: ExternalIdsSchema.optional(),
  external_urls: ExternalUrlsSchema.optional(),
  available_markets: MarketsSchema.optional(),
})
export type LocalTrack = z.infer<typeof LocalTrackSchema>

/** A track as it appears in playlists, the library, top items and GET /tracks: catalog or local. */
export const TrackSchema = z.union([CatalogTrackSchema, LocalTrackSchema])
export type Track = z.infer<typeof TrackSchema>

/**
 * True for a local file. Accepts anything track-shaped (also raw, unparsed JSON) so callers can
 * branch before choosing a schema; the `spotify:local:` URI is the signal for responses that omit
 * `is_local`.
 */
export function isLocalTrack(track: object | null | undefined): track is LocalTrack
export function isLocalTrack(track: unknown): boolean
export function isLocalTrack(track: unknown): boolean {
  if (typeof track !== 'object' || track === null) return false
  const { is_local, uri } = track as { is_local?: unknown; uri?: unknown }
  return is_local === true || (typeof uri === 'string' && uri.startsWith(LOCAL_URI_PREFIX))
}
