/**
 * @module Export plays to `plays` rows: the account and lineage added, account-data music matched to a
 * catalog track by artist and track name where exactly one track fits.
 */
import { type PlayRow, playKeyOf } from '@spotify-lake/schemas'
import type { ExportPlay } from './records.ts'

/** A catalog track as the lake's `tracks` table has it. */
export interface CatalogTrack {
  track_id: string
  name: string | null
  artist_names: readonly string[] | null
}

/** How an account-data music play fared against the catalog. */
export type NameMatch = 'matched' | 'ambiguous' | 'unmatched'

/** Names compared as Unicode NFC, trimmed, case-folded: `Sigur Rós` in the export meets `sigur rós` in the catalog. */
function fold(name: string): string {
  return name.normalize('NFC').trim().toLowerCase()
}

/** Artist and track name to the catalog tracks of that name by that artist (one entry per track id). */
export class TrackIndex {
  private readonly byNames = new Map<string, Set<string>>()

  constructor(tracks: Iterable<CatalogTrack>) {
    for (const { track_id, name, artist_names } of tracks) {
      if (name === null) continue
      for (const artist of artist_names ?? []) {
        const key = `${fold(artist)}\u0000${fold(name)}`
        const ids = this.byNames.get(key) ?? new Set<string>()
        ids.add(track_id)
        this.byNames.set(key, ids)
      }
    }
  }

  get size(): number {
    return this.byNames.size
  }

  /** The one track id of that artist and name; `ambiguous` when several tracks fit (a single and its album), `unmatched` for none. */
  match(artist: string, track: string): { trackId: string } | 'ambiguous' | 'unmatched' {
    const ids = this.byNames.get(`${fold(artist)}\u0000${fold(track)}`)
    if (!ids) return 'unmatched'
    if (ids.size > 1) return 'ambiguous'
    return { trackId: [...ids][0] as string }
  }
}

export interface ToPlayRowOptions {
  accountId: string
  runId: string
  extractedAt: Date
  /** The lake's catalog, for account-data music plays (no URIs); without one they keep their names only. */
  tracks?: TrackIndex
}

/**
 * A `plays` row of an export play, and how an account-data music play matched (null for every other
 * play). The names stay on matched rows; `play_key` never depends on the match (see `playKeyOf`).
 */
export function toPlayRowOfExport(
  play: ExportPlay,
  { accountId, runId, extractedAt, tracks }: ToPlayRowOptions,
): { row: PlayRow; match: NameMatch | null } {
  let match: NameMatch | null = null
  let trackId = play.track_id
  if (play.source === 'account_data' && play.item_type === 'track') {
    const found =
      play.artist_name !== null && play.track_name !== null && tracks
        ? tracks.match(play.artist_name, play.track_name)
        : 'unmatched'
    match = typeof found === 'string' ? found : 'matched'
    if (typeof found !== 'string') trackId = found.trackId
  }
  const row: PlayRow = {
    ...play,
    account_id: accountId,
    play_key: playKeyOf(play),
    track_id: trackId,
    context_type: null,
    context_uri: null,
    _run_id: runId,
    _extracted_at: extractedAt,
  }
  return { row, match }
}
