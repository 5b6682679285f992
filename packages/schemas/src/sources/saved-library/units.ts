/** @module The saved-library sources' units: one check of one account's saved items of one kind. */
import { z } from 'zod'
import { AccountIdSchema } from '../../pipeline/accounts.ts'
import { SpotifyIdSchema } from '../../pipeline/ids.ts'

const isoTime = z.iso.datetime({ offset: true })

/** A holding the extractor found gone: the item, when it was saved, and when the lake saw it gone. */
export const SavedItemRemovalSchema = z.object({
  id: SpotifyIdSchema,
  added_at: isoTime,
  removed_at: isoTime,
})
export type SavedItemRemoval = z.infer<typeof SavedItemRemovalSchema>

/**
 * What every saved-library unit holds. The queue message carries the account only; the extractor fills
 * in the rest in the unit it records in the raw envelope, so the transformer (and a replay) turns the
 * same raw object into the same rows without the extractor's state:
 * - `listing`: `incremental` (pages until an item already held) or `full` (every page: finds removals);
 * - `after`, `heldAtAfter`: the newest `added_at` held before this unit, and the ids held with exactly
 *   that `added_at`: an item is new when it is newer, or as new and not among them (null: nothing held);
 * - `late`: ids of new holdings older than `after` (a listing that missed them once): new all the same;
 * - `removed`: holdings found gone (by a full listing, or a re-save of a held item with a newer `added_at`).
 */
const savedUnitShape = {
  accountId: AccountIdSchema,
  listing: z.enum(['incremental', 'full']).optional(),
  after: isoTime.nullable().optional(),
  heldAtAfter: z.array(SpotifyIdSchema).optional(),
  late: z.array(SpotifyIdSchema).optional(),
  removed: z.array(SavedItemRemovalSchema).optional(),
}

/** One check of `GET /me/tracks` for one account. */
export const SavedTracksUnitSchema = z.object({ type: z.literal('saved-tracks'), ...savedUnitShape })
export type SavedTracksUnit = z.infer<typeof SavedTracksUnitSchema>

/** One check of `GET /me/albums` for one account. */
export const SavedAlbumsUnitSchema = z.object({ type: z.literal('saved-albums'), ...savedUnitShape })
export type SavedAlbumsUnit = z.infer<typeof SavedAlbumsUnitSchema>

/** One check of `GET /me/shows` for one account. */
export const SavedShowsUnitSchema = z.object({ type: z.literal('saved-shows'), ...savedUnitShape })
export type SavedShowsUnit = z.infer<typeof SavedShowsUnitSchema>

/** One check of `GET /me/episodes` for one account. */
export const SavedEpisodesUnitSchema = z.object({ type: z.literal('saved-episodes'), ...savedUnitShape })
export type SavedEpisodesUnit = z.infer<typeof SavedEpisodesUnitSchema>

export type SavedLibraryUnit = SavedTracksUnit | SavedAlbumsUnit | SavedShowsUnit | SavedEpisodesUnit

/** Items per page the saved-library endpoints answer at most (OpenAPI: `limit` maximum 50). */
export const SAVED_LIBRARY_PAGE_LIMIT = 50

/** A full listing (which finds removals) at least this often by default: weekly. */
export const DEFAULT_LIBRARY_FULL_LISTING_DAYS = 7
