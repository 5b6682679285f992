/** @module `fields=` projections of GET /playlists/{id}: every key optional, but typed when present. */
import { z } from 'zod'
import { ExternalUrlsSchema, ImageSchema } from './common.ts'
import { spotifyObject } from './object.ts'

/**
 * With `fields=` Spotify returns only the requested keys, at any depth (e.g.
 * `tracks.items(added_by.id,track(name,album(name)))`). A projection can't be checked for
 * completeness, so everything is optional; what *is* present must still have the right type.
 */
const ProjectedRefSchema = spotifyObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  type: z.string().optional(),
  uri: z.string().nullish(),
  href: z.string().nullish(),
  external_urls: ExternalUrlsSchema.optional(),
})

const ProjectedContentSchema = spotifyObject({
  ...ProjectedRefSchema.shape,
  duration_ms: z.int().optional(),
  is_local: z.boolean().optional(),
  album: ProjectedRefSchema.optional(),
  artists: z.array(ProjectedRefSchema).optional(),
  show: ProjectedRefSchema.optional(),
})

export const PlaylistItemProjectionSchema = spotifyObject({
  added_at: z.string().nullish(),
  added_by: ProjectedRefSchema.nullish(),
  is_local: z.boolean().optional(),
  item: ProjectedContentSchema.nullish(),
  track: ProjectedContentSchema.nullish(),
})
export type PlaylistItemProjection = z.infer<typeof PlaylistItemProjectionSchema>

const ProjectedPageSchema = spotifyObject({
  href: z.string().optional(),
  items: z.array(PlaylistItemProjectionSchema).optional(),
  limit: z.int().optional(),
  offset: z.int().optional(),
  total: z.int().optional(),
  next: z.string().nullish(),
  previous: z.string().nullish(),
})

export const PlaylistProjectionSchema = spotifyObject({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.literal('playlist').optional(),
  uri: z.string().optional(),
  href: z.string().optional(),
  snapshot_id: z.string().optional(),
  description: z.string().nullish(),
  collaborative: z.boolean().optional(),
  public: z.boolean().nullish(),
  external_urls: ExternalUrlsSchema.optional(),
  images: z.array(ImageSchema.nullable()).nullish(),
  owner: ProjectedRefSchema.extend({ display_name: z.string().nullish() }).optional(),
  items: ProjectedPageSchema.optional(),
  tracks: ProjectedPageSchema.optional(),
})
export type PlaylistProjection = z.infer<typeof PlaylistProjectionSchema>
