/** @module Small shared Spotify objects: images, external ids/urls, followers, copyrights, restrictions. */
import { z } from 'zod'
import { spotifyObject } from './object.ts'

/** Image sizes are null for user-uploaded playlist covers and absent in some old search results. */
export const ImageSchema = spotifyObject({
  url: z.string(),
  height: z.int().nullish(),
  width: z.int().nullish(),
})
export type Image = z.infer<typeof ImageSchema>

/** `{ spotify: url }`; empty `{}` for local files. */
export const ExternalUrlsSchema = spotifyObject({ spotify: z.string().optional() })
export type ExternalUrls = z.infer<typeof ExternalUrlsSchema>

/** ISRC / EAN / UPC; empty `{}` for local files. Kept for development-mode apps in 2026. */
export const ExternalIdsSchema = spotifyObject({
  isrc: z.string().optional(),
  ean: z.string().optional(),
  upc: z.string().optional(),
})
export type ExternalIds = z.infer<typeof ExternalIdsSchema>

/**
 * `href` is always null in practice; removed for development-mode apps (artists) in 2026. `total` has
 * come as null too (spotify/web-api#261).
 */
export const FollowersSchema = spotifyObject({
  href: z.string().nullish(),
  total: z.int().nullish(),
})
export type Followers = z.infer<typeof FollowersSchema>

export const CopyrightSchema = spotifyObject({ text: z.string(), type: z.string() })
export type Copyright = z.infer<typeof CopyrightSchema>

/** Spotify documents the reasons as open-ended ("additional reasons may be added"), so a string. */
export const RestrictionsSchema = spotifyObject({ reason: z.string().optional() })
export type Restrictions = z.infer<typeof RestrictionsSchema>

export const RELEASE_DATE_PRECISIONS = ['year', 'month', 'day'] as const
export const ReleaseDatePrecisionSchema = z.enum(RELEASE_DATE_PRECISIONS)
export type ReleaseDatePrecision = z.infer<typeof ReleaseDatePrecisionSchema>

/** Development-mode apps lost `available_markets` in 2026; with a `market` parameter it is absent too. */
export const MarketsSchema = z.array(z.string())
