/**
 * @module The saved-library lake tables (`saved_tracks`, `saved_albums`, `saved_shows`,
 * `saved_episodes`): what each connected account saved in its library (GET /me/tracks, /me/albums,
 * /me/shows, /me/episodes), one row per holding.
 */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

const accountId = col.string({
  description: "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
})
const addedAt = col.timestamp({ description: "When the account saved the item (Spotify's added_at), UTC." })
const removedAt = col.timestamp({
  nullable: true,
  description:
    'When the lake first saw the item gone from the library, UTC: the full listing that missed it, or the later added_at of a re-save. Null while held. The removal happened at or before it.',
})

/**
 * How to read the saved tables (the same for every kind): a holding is (account, item, added_at). Its
 * row is written once by the run that first saw it (removed_at null), and once more, with removed_at,
 * by the run that saw it gone. The view `saved_library` folds the two into one row per holding, so
 * "what did the library hold on X" is `WHERE added_at <= X AND (removed_at IS NULL OR removed_at > X)`.
 */
const howToRead =
  'A holding is (account_id, item, added_at): one row when first seen (removed_at null) and one more when seen removed (removed_at set). Read the view saved_library for one row per holding: held on X when added_at <= X AND (removed_at IS NULL OR removed_at > X).'

export const savedTracksTable = defineTable({
  name: 'saved_tracks',
  description: `Tracks each connected Spotify account saved (GET /me/tracks); track details are in tracks. ${howToRead}`,
  columns: {
    account_id: accountId,
    track_id: col.string({ description: 'Spotify track id.' }),
    added_at: addedAt,
    removed_at: removedAt,
  },
  primaryKey: ['account_id', 'track_id', 'added_at'],
})

export const savedAlbumsTable = defineTable({
  name: 'saved_albums',
  description: `Albums each connected Spotify account saved (GET /me/albums); album details are in albums. ${howToRead}`,
  columns: {
    account_id: accountId,
    album_id: col.string({ description: 'Spotify album id.' }),
    added_at: addedAt,
    removed_at: removedAt,
  },
  primaryKey: ['account_id', 'album_id', 'added_at'],
})

export const savedShowsTable = defineTable({
  name: 'saved_shows',
  description: `Podcast shows each connected Spotify account saved (GET /me/shows). ${howToRead}`,
  columns: {
    account_id: accountId,
    show_id: col.string({ description: 'Spotify show id.' }),
    added_at: addedAt,
    removed_at: removedAt,
    name: col.string({ nullable: true, description: 'Show name as listed; null on a removal row.' }),
    publisher: col.string({ nullable: true, description: 'Show publisher as listed; null when not sent.' }),
  },
  primaryKey: ['account_id', 'show_id', 'added_at'],
})

export const savedEpisodesTable = defineTable({
  name: 'saved_episodes',
  description: `Podcast episodes each connected Spotify account saved (GET /me/episodes). ${howToRead}`,
  columns: {
    account_id: accountId,
    episode_id: col.string({ description: 'Spotify episode id.' }),
    added_at: addedAt,
    removed_at: removedAt,
    name: col.string({ nullable: true, description: 'Episode name as listed; null on a removal row.' }),
    show_id: col.string({
      nullable: true,
      description: "The episode's show (Spotify show id); null when not sent.",
    }),
    duration_ms: col.int32({ nullable: true, description: 'Duration in milliseconds; null when not sent.' }),
  },
  primaryKey: ['account_id', 'episode_id', 'added_at'],
})

export const SavedTrackRowSchema = savedTracksTable.rowSchema
export type SavedTrackRow = z.output<typeof SavedTrackRowSchema>
export const SavedAlbumRowSchema = savedAlbumsTable.rowSchema
export type SavedAlbumRow = z.output<typeof SavedAlbumRowSchema>
export const SavedShowRowSchema = savedShowsTable.rowSchema
export type SavedShowRow = z.output<typeof SavedShowRowSchema>
export const SavedEpisodeRowSchema = savedEpisodesTable.rowSchema
export type SavedEpisodeRow = z.output<typeof SavedEpisodeRowSchema>
