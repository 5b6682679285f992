/** @module The record schemas that get a generated guard (`pnpm generate` reads this list). */
import type { GuardSource } from '../../codegen/zod-guards.ts'
import {
  AlbumRecordSchema,
  ArtistRecordSchema,
  FollowedArtistsPageRecordSchema,
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
} from './records.ts'

/** Guard name -> record schema; the generated module exports one `is<Name>` per entry. */
export const RECORD_GUARDS: readonly GuardSource[] = [
  {
    name: 'isArtistRecord',
    schema: ArtistRecordSchema,
    doc: '`ArtistRecordSchema.safeParse(value).success`',
  },
  { name: 'isAlbumRecord', schema: AlbumRecordSchema, doc: '`AlbumRecordSchema.safeParse(value).success`' },
  { name: 'isTrackRecord', schema: TrackRecordSchema, doc: '`TrackRecordSchema.safeParse(value).success`' },
  {
    name: 'isPlaylistRecord',
    schema: PlaylistRecordSchema,
    doc: '`PlaylistRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistItemsPageRecord',
    schema: PlaylistItemsPageRecordSchema,
    doc: '`PlaylistItemsPageRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistEntryRecord',
    schema: PlaylistEntryRecordSchema,
    doc: '`PlaylistEntryRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistContentHead',
    schema: PlaylistContentHeadSchema,
    doc: '`PlaylistContentHeadSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistTrackContent',
    schema: PlaylistTrackContentSchema,
    doc: '`PlaylistTrackContentSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistEpisodeContent',
    schema: PlaylistEpisodeContentSchema,
    doc: '`PlaylistEpisodeContentSchema.safeParse(value).success`',
  },
  {
    name: 'isPlaylistLocalContent',
    schema: PlaylistLocalContentSchema,
    doc: '`PlaylistLocalContentSchema.safeParse(value).success`',
  },
  { name: 'isPlayRecord', schema: PlayRecordSchema, doc: '`PlayRecordSchema.safeParse(value).success`' },
  {
    name: 'isRecentlyPlayedPageRecord',
    schema: RecentlyPlayedPageRecordSchema,
    doc: '`RecentlyPlayedPageRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isTopItemsPageRecord',
    schema: TopItemsPageRecordSchema,
    doc: '`TopItemsPageRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isTopTrackRecord',
    schema: TopTrackRecordSchema,
    doc: '`TopTrackRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isListedArtistRecord',
    schema: ListedArtistRecordSchema,
    doc: '`ListedArtistRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isFollowedArtistsPageRecord',
    schema: FollowedArtistsPageRecordSchema,
    doc: '`FollowedArtistsPageRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isSavedTrackRecord',
    schema: SavedTrackRecordSchema,
    doc: '`SavedTrackRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isSavedAlbumRecord',
    schema: SavedAlbumRecordSchema,
    doc: '`SavedAlbumRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isSavedShowRecord',
    schema: SavedShowRecordSchema,
    doc: '`SavedShowRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isSavedEpisodeRecord',
    schema: SavedEpisodeRecordSchema,
    doc: '`SavedEpisodeRecordSchema.safeParse(value).success`',
  },
  {
    name: 'isSavedPageRecord',
    schema: SavedPageRecordSchema,
    doc: '`SavedPageRecordSchema.safeParse(value).success`',
  },
]
