/** @module Artist payloads: the simplified artist inside tracks/albums and the full artist object. */
import { z } from 'zod'
import { ExternalUrlsSchema, FollowersSchema, ImageSchema } from './common.ts'
import { spotifyObject } from './object.ts'

/** The artist as embedded in catalog tracks and albums (local files use `LocalArtistSchema`). */
export const SimplifiedArtistSchema = spotifyObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('artist'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
})
export type SimplifiedArtist = z.infer<typeof SimplifiedArtistSchema>

/** GET /artists/{id}. `followers`, `popularity` and `genres` are gone for development-mode apps (2026). */
export const ArtistSchema = spotifyObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('artist'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  images: z.array(ImageSchema),
  followers: FollowersSchema.optional(),
  genres: z.array(z.string()).optional(),
  popularity: z.int().optional(),
})
export type Artist = z.infer<typeof ArtistSchema>
