/**
 * @module Record validation: the generated guard first, zod only when the guard says no.
 *
 * `fast` (the default) runs the guard generated from the record schema; on a failure it re-runs zod for
 * the reject's detail, and if zod accepts after all, zod wins (the guard can cost time, never a row).
 * `zod` runs zod alone and also checks every row against its table's row schema: the reference the
 * property tests compare the fast path with.
 */
import {
  AlbumRecordSchema,
  ArtistRecordSchema,
  describeIssue,
  isAlbumRecord,
  isArtistRecord,
  isPlaylistContentHead,
  isPlaylistEntryRecord,
  isPlaylistEpisodeContent,
  isPlaylistItemsPageRecord,
  isPlaylistLocalContent,
  isPlaylistRecord,
  isPlaylistTrackContent,
  isTrackRecord,
  PlaylistContentHeadSchema,
  PlaylistEntryRecordSchema,
  PlaylistEpisodeContentSchema,
  PlaylistItemsPageRecordSchema,
  PlaylistLocalContentSchema,
  PlaylistRecordSchema,
  PlaylistTrackContentSchema,
  TrackRecordSchema,
} from '@spotify-lake/schemas'
import type { z } from 'zod'

export type Validation = 'fast' | 'zod'

export interface RecordCheck<T> {
  schema: z.ZodType<T>
  guard: (value: unknown) => boolean
}

const pair = <T>(schema: z.ZodType<T>, guard: (value: unknown) => boolean): RecordCheck<T> => ({
  schema,
  guard,
})

/** Every record kind the transformer reads, with its schema and generated guard. */
export const RECORDS = {
  artist: pair(ArtistRecordSchema, isArtistRecord),
  album: pair(AlbumRecordSchema, isAlbumRecord),
  track: pair(TrackRecordSchema, isTrackRecord),
  playlist: pair(PlaylistRecordSchema, isPlaylistRecord),
  itemsPage: pair(PlaylistItemsPageRecordSchema, isPlaylistItemsPageRecord),
  entry: pair(PlaylistEntryRecordSchema, isPlaylistEntryRecord),
  contentHead: pair(PlaylistContentHeadSchema, isPlaylistContentHead),
  trackContent: pair(PlaylistTrackContentSchema, isPlaylistTrackContent),
  episodeContent: pair(PlaylistEpisodeContentSchema, isPlaylistEpisodeContent),
  localContent: pair(PlaylistLocalContentSchema, isPlaylistLocalContent),
}

export type Checked<T> = { ok: true; value: T } | { ok: false; detail: string }

/**
 * Checks `value` against a record kind. On success the value itself is handed back (the schemas have
 * no transforms, so zod's output equals its input); on failure the detail names the deepest failing
 * path and the value there, led by `prefix` (`['item']` for the content of a playlist entry).
 */
export function check<T>(
  validation: Validation,
  record: RecordCheck<T>,
  value: unknown,
  prefix: readonly string[] = [],
): Checked<T> {
  if (validation === 'fast' && record.guard(value)) return { ok: true, value: value as T }
  const parsed = record.schema.safeParse(value)
  if (parsed.success) return { ok: true, value: value as T }
  return { ok: false, detail: describeIssue(parsed.error, value, prefix) }
}
