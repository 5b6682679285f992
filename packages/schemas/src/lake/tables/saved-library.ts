/**
 * @module The saved-library lake tables (`saved_tracks`, `saved_albums`): what each connected account
 * saved in its library (GET /me/tracks, GET /me/albums), one row per holding.
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

export const SavedTrackRowSchema = savedTracksTable.rowSchema
export type SavedTrackRow = z.output<typeof SavedTrackRowSchema>
export const SavedAlbumRowSchema = savedAlbumsTable.rowSchema
export type SavedAlbumRow = z.output<typeof SavedAlbumRowSchema>
