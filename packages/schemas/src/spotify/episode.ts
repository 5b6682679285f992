/** @module Podcast payloads: the simplified show, the episode, and the episode Spotify sends in track shape. */
import { z } from 'zod'
import {
  CopyrightSchema,
  ExternalUrlsSchema,
  ImageSchema,
  MarketsSchema,
  ReleaseDatePrecisionSchema,
  RestrictionsSchema,
} from './common.ts'
import { spotifyObject } from './object.ts'

/** The show an episode belongs to. Descriptive fields vary by age and market, so only ids are required. */
export const ShowSchema = spotifyObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('show'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  images: z.array(ImageSchema),
  description: z.string().optional(),
  html_description: z.string().nullish(),
  publisher: z.string().optional(),
  media_type: z.string().optional(),
  total_episodes: z.int().optional(),
  explicit: z.boolean().optional(),
  /** "might be null in some cases" (Spotify's words). */
  is_externally_hosted: z.boolean().nullish(),
  languages: z.array(z.string()).optional(),
  copyrights: z.array(CopyrightSchema).optional(),
  available_markets: MarketsSchema.optional(),
})
export type Show = z.infer<typeof ShowSchema>

export const ResumePointSchema = spotifyObject({
  fully_played: z.boolean(),
  resume_position_ms: z.int(),
})

/** A podcast episode (GET /episodes/{id}, and playlist items fetched with `additional_types=episode`). */
export const EpisodeSchema = spotifyObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('episode'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  images: z.array(ImageSchema),
  duration_ms: z.int(),
  explicit: z.boolean(),
  release_date: z.string(),
  release_date_precision: ReleaseDatePrecisionSchema,
  show: ShowSchema,
  description: z.string().optional(),
  html_description: z.string().nullish(),
  /** Removed for new apps in Nov 2024. */
  audio_preview_url: z.string().nullish(),
  is_externally_hosted: z.boolean().optional(),
  is_playable: z.boolean().optional(),
  language: z.string().optional(),
  languages: z.array(z.string()).optional(),
  resume_point: ResumePointSchema.optional(),
  restrictions: RestrictionsSchema.optional(),
  /** Set (`episode: true, track: false`) inside playlist items. */
  episode: z.boolean().optional(),
  track: z.boolean().optional(),
})
export type Episode = z.infer<typeof EpisodeSchema>

/**
 * Spotify sometimes returns a playlist's podcast episode in track shape (rspotify issue #525):
 * `type: "episode"` but `track: true`, the show disguised as `album` (`type: "show"`), and
 * "artists" with `name: null` and a junk `type`. Modelled separately so the catalog schemas stay
 * strict and the pipeline can still keep the episode's id, name and duration.
 */
export const TrackShapedEpisodeSchema = spotifyObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('episode'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  duration_ms: z.int(),
  explicit: z.boolean(),
  album: spotifyObject({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    uri: z.string(),
    href: z.string().optional(),
    images: z.array(ImageSchema).optional(),
  }),
  artists: z.array(
    spotifyObject({
      id: z.string().nullish(),
      name: z.string().nullable(),
      type: z.string(),
      uri: z.string().nullish(),
    }),
  ),
  /** Holds a URL here (`{spotify: ...}`), not real external ids: kept loose on purpose. */
  external_ids: z.record(z.string(), z.string()).optional(),
  preview_url: z.string().nullish(),
  is_local: z.boolean().optional(),
  episode: z.boolean().optional(),
  track: z.boolean().optional(),
  available_markets: MarketsSchema.optional(),
  popularity: z.int().optional(),
  disc_number: z.int().optional(),
  track_number: z.int().optional(),
})
export type TrackShapedEpisode = z.infer<typeof TrackShapedEpisodeSchema>
