/**
 * @module Rows of the saved-library tables: which items of a page are new to the lake, and the rows of
 * new holdings and of holdings the extractor found gone (both read from the unit it recorded).
 */
import type {
  SavedAlbumRecord,
  SavedAlbumRow,
  SavedItemRemoval,
  SavedLibraryUnit,
  SavedTrackRecord,
  SavedTrackRow,
} from '@spotify-lake/schemas'
import type { Lineage } from './rows.ts'

/** What a saved-library page needs from its unit: whose library, and which items the lake already holds. */
export interface SavedContext {
  table: 'saved_tracks' | 'saved_albums'
  accountId: string
  /** `added_at` (Unix ms) of the newest holding before this unit, or null when nothing was held. */
  after: number | null
  /** Ids held with exactly that `added_at`. */
  heldAtAfter: ReadonlySet<string>
  /** New holdings older than `after` (see the unit's `late`). */
  late: ReadonlySet<string>
}

/** The unit's context, or null for a unit of another source. */
export function savedContextOf(unit: { type: string }): SavedContext | null {
  if (unit.type !== 'saved-tracks' && unit.type !== 'saved-albums') return null
  const saved = unit as SavedLibraryUnit
  return {
    table: saved.type === 'saved-tracks' ? 'saved_tracks' : 'saved_albums',
    accountId: saved.accountId,
    after: saved.after ? Date.parse(saved.after) : null,
    heldAtAfter: new Set(saved.heldAtAfter ?? []),
    late: new Set(saved.late ?? []),
  }
}

/**
 * Whether an item is a holding the lake does not have yet: saved after the newest holding, or at the
 * same instant and not among the ones held then (saves of one request share an `added_at`), or named
 * `late` by the extractor.
 */
export function isNewHolding(ctx: SavedContext, id: string, addedAtMs: number): boolean {
  if (ctx.after === null || addedAtMs > ctx.after || ctx.late.has(id)) return true
  return addedAtMs === ctx.after && !ctx.heldAtAfter.has(id)
}

export function toSavedTrackRow(item: SavedTrackRecord, accountId: string, from: Lineage): SavedTrackRow {
  return {
    account_id: accountId,
    track_id: item.track.id,
    added_at: new Date(item.added_at),
    removed_at: null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

export function toSavedAlbumRow(item: SavedAlbumRecord, accountId: string, from: Lineage): SavedAlbumRow {
  return {
    account_id: accountId,
    album_id: item.album.id,
    added_at: new Date(item.added_at),
    removed_at: null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** The row of a holding found gone: the same key as its first row, now with `removed_at`. */
export function toRemovedRow(
  table: SavedContext['table'],
  removal: SavedItemRemoval,
  accountId: string,
  from: Lineage,
): SavedTrackRow | SavedAlbumRow {
  const common = {
    account_id: accountId,
    added_at: new Date(removal.added_at),
    removed_at: new Date(removal.removed_at),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
  return table === 'saved_tracks' ? { ...common, track_id: removal.id } : { ...common, album_id: removal.id }
}
