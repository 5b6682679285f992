/**
 * @module The extraction side of the sources' registry: one extractor per resource (unit type) of every
 * source in `lakeSources`. Typed as a complete record, so a resource without an extractor is a type error.
 */
import type { ExtractUnit, ResourceType } from '@spotify-lake/schemas'
import { extractCatalog } from './catalog/extract.ts'
import { extractFollowedArtists } from './followed-artists/extract.ts'
import { extractMyPlaylists, extractPlaylist } from './playlists/extract.ts'
import { extractRecentlyPlayed } from './recently-played/extract.ts'
import { extractSavedLibrary } from './saved-library/extract.ts'
import { extractTopItems } from './top-items/extract.ts'
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
  'top-items': extractTopItems,
  'followed-artists': extractFollowedArtists,
  'saved-tracks': extractSavedLibrary,
  'saved-albums': extractSavedLibrary,
  'saved-shows': extractSavedLibrary,
  'saved-episodes': extractSavedLibrary,
}

/**
 * Extracts one unit from Spotify: an account's playlist listing (`my-playlists`), a part of a playlist
 * (at most `ctx.callBudget` Spotify calls, the rest in `next`), or a catalog batch of albums or artists.
 * Every exchange is appended to `ctx.responses` as it arrives, so a caller that catches still writes
 * what came back to raw. No S3 or queue I/O here.
 *
 * @returns `unchanged` when the playlist's snapshot equals `ctx.lastSnapshot` (one metadata call, not
 *   forced), else `extracted` with `items` (records seen), the follow-up `next`, the ids it refers to
 *   and, on a part that stopped early after securing pages, `interrupted`
 * @throws the Spotify client's errors (`SpotifyError` subclasses, `RateLimitedError`) when nothing could
 *   be secured; callers classify them with `classifyError`
 */
export function extractUnit(unit: ExtractUnit, ctx: ExtractContext): Promise<UnitOutcome> {
  const extract = extractors[unit.type] as (unit: ExtractUnit, ctx: ExtractContext) => Promise<UnitOutcome>
  return extract(unit, ctx)
}
