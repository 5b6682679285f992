/** @module User payloads: the public user, and the slimmer user objects inside playlists. */
import { z } from 'zod'
import { ExternalUrlsSchema, FollowersSchema, ImageSchema } from './common.ts'
import { spotifyObject } from './object.ts'

/** GET /users/{id} (and the current user without private fields). */
export const UserSchema = spotifyObject({
  id: z.string(),
  type: z.literal('user'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  display_name: z.string().nullish(),
  images: z.array(ImageSchema).optional(),
  followers: FollowersSchema.optional(),
})
export type User = z.infer<typeof UserSchema>

/**
 * `GET /me`: the public user plus `account_id`, the stable, pseudonymous id Spotify added in May 2026 for
 * linking accounts (the user `id` is not meant for that). Older answers have none: use `id` then.
 */
export const CurrentUserSchema = spotifyObject({
  ...UserSchema.shape,
  account_id: z.string().min(1).optional(),
})
export type CurrentUser = z.infer<typeof CurrentUserSchema>

/**
 * A playlist item's `added_by`. Only `id` is required: `fields=` projections often keep just the
 * id, and Spotify-generated items carry `id: ""` with `uri: "spotify:user:"`.
 */
export const PlaylistUserSchema = spotifyObject({
  id: z.string(),
  type: z.literal('user').optional(),
  uri: z.string().optional(),
  href: z.string().optional(),
  external_urls: ExternalUrlsSchema.optional(),
})
export type PlaylistUser = z.infer<typeof PlaylistUserSchema>

/** A playlist's owner: a playlist user with a display name (null when the user has none). */
export const PlaylistOwnerSchema = spotifyObject({
  ...PlaylistUserSchema.shape,
  display_name: z.string().nullish(),
})
export type PlaylistOwner = z.infer<typeof PlaylistOwnerSchema>
