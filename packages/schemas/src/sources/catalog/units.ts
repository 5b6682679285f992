/** @module The catalog source's units: a batch of exact ids of one catalog kind, so a retry fetches the same set. */
import { z } from 'zod'
import { SpotifyIdSchema } from '../../pipeline/ids.ts'

/**
 * The catalog's kinds: Spotify's batch endpoints (`GET /tracks|/albums|/artists?ids=`) and the run's
 * once-per-run id claims speak of the same three.
 */
export const CATALOG_KINDS = ['tracks', 'albums', 'artists'] as const
export type CatalogKind = (typeof CATALOG_KINDS)[number]

const batchUnit = <K extends CatalogKind>(type: K) =>
  z.object({
    type: z.literal(type),
    ids: z.array(SpotifyIdSchema).min(1).max(500),
    batch: z.int().nonnegative(),
  })

export const TracksUnitSchema = batchUnit('tracks')
export const AlbumsUnitSchema = batchUnit('albums')
export const ArtistsUnitSchema = batchUnit('artists')
export type CatalogUnit = z.infer<
  typeof TracksUnitSchema | typeof AlbumsUnitSchema | typeof ArtistsUnitSchema
>
