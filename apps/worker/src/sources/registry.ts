/**
 * @module The extraction side of the sources' registry: one extractor per resource (unit type) of every
 * source in `lakeSources`. Typed as a complete record, so a resource without an extractor is a type error.
 */
import type { ExtractUnit, ResourceType } from '@spotify-lake/schemas'
import { extractCatalog } from './catalog/extract.ts'
import { extractMyPlaylists, extractPlaylist } from './playlists/extract.ts'
import { extractRecentlyPlayed } from './recently-played/extract.ts'
import type { ExtractContext, UnitOutcome } from './types.ts'

type Extractors = {
  [T in ResourceType]: (unit: Extract<ExtractUnit, { type: T }>, ctx: ExtractContext) => Promise<UnitOutcome>
}

const extractors: Extractors = {
  'my-playlists': extractMyPlaylists,
  playlist: extractPlaylist,
  tracks: extractCatalog,
  albums: extractCatalog,
  artists: extractCatalog,
  'recently-played': extractRecentlyPlayed,
}

/**
 * Fetches what one unit names from Spotify, appending every exchange to `ctx.responses` as it arrives.
 * @returns `extracted` (with follow-ups to plan) or `unchanged` (a playlist whose snapshot the last run completed).
 * @throws the client's errors (`SpotifyError` subclasses) when nothing was secured, or on a permanent one.
 */
export function extractUnit(unit: ExtractUnit, ctx: ExtractContext): Promise<UnitOutcome> {
  const extract = extractors[unit.type] as (unit: ExtractUnit, ctx: ExtractContext) => Promise<UnitOutcome>
  return extract(unit, ctx)
}
