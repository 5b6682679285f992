/**
 * @module Rows of the saved-library tables: which items of a page are new to the lake, and the rows of
 * new holdings and of holdings the extractor found gone (both read from the unit it recorded).
 */
import type {
  SavedAlbumRecord,
  SavedAlbumRow,
  SavedEpisodeRecord,
  SavedEpisodeRow,
  SavedItemRemoval,
  SavedLibraryUnit,
  SavedShowRecord,
  SavedShowRow,
  SavedTrackRecord,
  SavedTrackRow,
} from '@spotify-lake/schemas'
import type { Lineage } from './rows.ts'

export type SavedTable = 'saved_tracks' | 'saved_albums' | 'saved_shows' | 'saved_episodes'

/** The table of each saved-library unit type (and response kind, spelled the same). */
export const SAVED_TABLES: Record<SavedLibraryUnit['type'], SavedTable> = {
  'saved-tracks': 'saved_tracks',
  'saved-albums': 'saved_albums',
  'saved-shows': 'saved_shows',
  'saved-episodes': 'saved_episodes',
}

/** The id column of each saved table. */
const ID_COLUMNS: Record<SavedTable, string> = {
  saved_tracks: 'track_id',
  saved_albums: 'album_id',
  saved_shows: 'show_id',
  saved_episodes: 'episode_id',
}

/** What a saved-library page needs from its unit: whose library, and which items the lake already holds. */
export interface SavedContext {
  table: SavedTable
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
  if (!(unit.type in SAVED_TABLES)) return null
  const saved = unit as SavedLibraryUnit
  return {
    table: SAVED_TABLES[saved.type],
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

export function toSavedShowRow(item: SavedShowRecord, accountId: string, from: Lineage): SavedShowRow {
  return {
    account_id: accountId,
    show_id: item.show.id,
    added_at: new Date(item.added_at),
    removed_at: null,
    name: item.show.name ?? null,
    publisher: item.show.publisher ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

export function toSavedEpisodeRow(
  item: SavedEpisodeRecord,
  accountId: string,
  from: Lineage,
): SavedEpisodeRow {
  return {
    account_id: accountId,
    episode_id: item.episode.id,
    added_at: new Date(item.added_at),
    removed_at: null,
    name: item.episode.name ?? null,
    show_id: item.episode.show?.id ?? null,
    duration_ms: item.episode.duration_ms ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** The row of a holding found gone: the same key as its first row, now with `removed_at`. */
export function toRemovedRow(
  table: SavedTable,
  removal: SavedItemRemoval,
  accountId: string,
  from: Lineage,
): SavedTrackRow | SavedAlbumRow | SavedShowRow | SavedEpisodeRow {
  const row = {
    account_id: accountId,
    [ID_COLUMNS[table]]: removal.id,
    added_at: new Date(removal.added_at),
    removed_at: new Date(removal.removed_at),
    // What a listing said of the item (its name...) is in its first row: a removal is seen by absence.
    ...(table === 'saved_shows' ? { name: null, publisher: null } : {}),
    ...(table === 'saved_episodes' ? { name: null, show_id: null, duration_ms: null } : {}),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
  return row as unknown as SavedTrackRow
}
