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
  FollowedArtistsPageRecordSchema,
  isAlbumRecord,
  isArtistRecord,
  isFollowedArtistsPageRecord,
  isListedArtistRecord,
  isPlaylistContentHead,
  isPlaylistEntryRecord,
  isPlaylistEpisodeContent,
  isPlaylistItemsPageRecord,
  isPlaylistLocalContent,
  isPlaylistRecord,
  isPlaylistTrackContent,
  isPlayRecord,
  isRecentlyPlayedPageRecord,
  isSavedAlbumRecord,
  isSavedEpisodeRecord,
  isSavedPageRecord,
  isSavedShowRecord,
  isSavedTrackRecord,
  isTopItemsPageRecord,
  isTopTrackRecord,
  isTrackRecord,
  ListedArtistRecordSchema,
  PlaylistContentHeadSchema,
  PlaylistEntryRecordSchema,
  PlaylistEpisodeContentSchema,
  PlaylistItemsPageRecordSchema,
  PlaylistLocalContentSchema,
  PlaylistRecordSchema,
  PlaylistTrackContentSchema,
  PlayRecordSchema,
  RecentlyPlayedPageRecordSchema,
  SavedAlbumRecordSchema,
  SavedEpisodeRecordSchema,
  SavedPageRecordSchema,
  SavedShowRecordSchema,
  SavedTrackRecordSchema,
  TopItemsPageRecordSchema,
  TopTrackRecordSchema,
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
  play: pair(PlayRecordSchema, isPlayRecord),
  playsPage: pair(RecentlyPlayedPageRecordSchema, isRecentlyPlayedPageRecord),
  topItemsPage: pair(TopItemsPageRecordSchema, isTopItemsPageRecord),
  followedArtistsPage: pair(FollowedArtistsPageRecordSchema, isFollowedArtistsPageRecord),
  topTrack: pair(TopTrackRecordSchema, isTopTrackRecord),
  listedArtist: pair(ListedArtistRecordSchema, isListedArtistRecord),
  savedTrack: pair(SavedTrackRecordSchema, isSavedTrackRecord),
  savedAlbum: pair(SavedAlbumRecordSchema, isSavedAlbumRecord),
  savedShow: pair(SavedShowRecordSchema, isSavedShowRecord),
  savedEpisode: pair(SavedEpisodeRecordSchema, isSavedEpisodeRecord),
  savedPage: pair(SavedPageRecordSchema, isSavedPageRecord),
}

/** A record that failed its check: the reject's detail (a class, so success needs no wrapper object). */
export class Rejected {
  constructor(readonly detail: string) {}
}

/**
 * Checks `value` against a record kind: the value itself when it passes (the schemas have no
 * transforms, so zod's output equals its input), else a `Rejected` whose detail names the deepest
 * failing path and the value there, led by `prefix` (`['item']` for the content of a playlist entry).
 */
export function check<T>(
  validation: Validation,
  record: RecordCheck<T>,
  value: unknown,
  prefix: readonly string[] = [],
): T | Rejected {
  if (validation === 'fast' && record.guard(value)) return value as T
  const parsed = record.schema.safeParse(value)
  if (parsed.success) return value as T
  return new Rejected(describeIssue(parsed.error, value, prefix))
}
