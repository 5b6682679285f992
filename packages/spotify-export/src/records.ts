/**
 * @module One record of an export file to an `ExportPlay` (the export's fields, normalised) or a reject
 * with its reason. Pure: no I/O, no time zone but UTC.
 */
import { NO_EXPORT_FIELDS } from '@spotify-lake/schemas'
import type { ExportFileKind } from './files.ts'
import { withoutPersonalFields } from './personal.ts'

/** Which package a play came from; the API's plays are `recently_played` (the `plays.source` column). */
export type ExportSource = 'extended_history' | 'account_data'

/** What was played: the export names tracks, podcast episodes, audiobook chapters, or nothing at all. */
export type PlayItemType = 'track' | 'episode' | 'audiobook_chapter' | 'unknown'

/** A play as the export gives it, normalised: ids from URIs, one time unit, placeholders as null. */
export interface ExportPlay {
  source: ExportSource
  /** When the play ended, UTC (extended history: to the second; account data: to the minute). */
  played_at: Date
  item_type: PlayItemType
  /** From `spotify_track_uri`; null for account data (matched later by names) and tracks without a URI. */
  track_id: string | null
  track_name: string | null
  /** Extended history: the album artist; account data: the artist. */
  artist_name: string | null
  album_name: string | null
  episode_id: string | null
  episode_name: string | null
  episode_show_name: string | null
  audiobook_id: string | null
  audiobook_title: string | null
  audiobook_chapter_id: string | null
  audiobook_chapter_title: string | null
  /** Milliseconds played (0 happens). */
  ms_played: number
  /** Open sets: unknown values are kept as they are. */
  reason_start: string | null
  reason_end: string | null
  shuffle: boolean | null
  /** Null where the export has null (some years) or lacks the field. */
  skipped: boolean | null
  offline: boolean | null
  /** When offline mode began, as a time (the export has ms in older rows, seconds in newer ones); 0 is null. */
  offline_timestamp: Date | null
  incognito_mode: boolean | null
  platform: string | null
  /** ISO country code; Spotify's `ZZ` (unknown) is null. */
  conn_country: string | null
}

/** A record the lake cannot take, with why; `record` is the record without its personal fields. */
export interface ExportReject {
  reason: 'invalid_payload'
  detail: string
  record: unknown
}

export type RecordOutcome = { play: ExportPlay } | { reject: ExportReject }

class Invalid extends Error {}

type Fields = Record<string, unknown>

function str(r: Fields, field: string): string | null {
  const v = r[field]
  if (v === undefined || v === null) return null
  if (typeof v !== 'string')
    throw new Invalid(`${field}: expected a string or null, got ${JSON.stringify(v)}`)
  return v === '' ? null : v
}

function bool(r: Fields, field: string): boolean | null {
  const v = r[field]
  if (v === undefined || v === null) return null
  if (typeof v !== 'boolean')
    throw new Invalid(`${field}: expected a boolean or null, got ${JSON.stringify(v)}`)
  return v
}

function msPlayed(r: Fields, field: string): number {
  const v = r[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new Invalid(`${field}: expected a whole number of milliseconds >= 0, got ${JSON.stringify(v)}`)
  return v
}

/** `spotify:<type>:<id>` to the id; null for null; anything else is invalid. */
function idOf(r: Fields, field: string, type: string): string | null {
  const uri = str(r, field)
  if (uri === null) return null
  const match = new RegExp(`^spotify:${type}:([0-9A-Za-z]+)$`).exec(uri)
  if (!match?.[1]) throw new Invalid(`${field}: expected spotify:${type}:<id>, got ${JSON.stringify(uri)}`)
  return match[1]
}

/**
 * Seconds below this, milliseconds from it: 1e11 s is the year 5138, 1e11 ms is March 1973 (before
 * Spotify), so the two units never meet. FORMAT.md: ms in older rows, seconds in newer ones.
 */
const MS_FROM = 100_000_000_000

function offlineTimestamp(r: Fields): Date | null {
  const v = r.offline_timestamp
  if (v === undefined || v === null || v === 0) return null
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new Invalid(`offline_timestamp: expected a Unix time or null, got ${JSON.stringify(v)}`)
  return new Date(v >= MS_FROM ? v : v * 1000)
}

function extendedTime(r: Fields): Date {
  const v = r.ts
  // ISO 8601 UTC (`2021-03-01T00:01:30Z`): anything else (no zone, a local time) is refused, not guessed.
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v))
    throw new Invalid(`ts: expected an ISO 8601 UTC time, got ${JSON.stringify(v)}`)
  const t = new Date(v)
  if (Number.isNaN(t.getTime())) throw new Invalid(`ts: not a valid time: ${JSON.stringify(v)}`)
  return t
}

function accountDataTime(r: Fields): Date {
  const v = r.endTime
  const match = typeof v === 'string' ? /^(\d{4}-\d\d-\d\d) (\d\d:\d\d)$/.exec(v) : null
  const t = match ? new Date(`${match[1]}T${match[2]}:00Z`) : null
  if (!t || Number.isNaN(t.getTime()))
    throw new Invalid(`endTime: expected "YYYY-MM-DD HH:MM" (UTC), got ${JSON.stringify(v)}`)
  return t
}

/** Every column a record may leave unset, null until its fields say otherwise (`NO_EXPORT_FIELDS` and the track id). */
const EMPTY = { track_id: null, ...NO_EXPORT_FIELDS } as const

function toExtendedPlay(r: Fields): ExportPlay {
  const play: ExportPlay = {
    ...EMPTY,
    source: 'extended_history',
    played_at: extendedTime(r),
    item_type: 'unknown',
    track_id: idOf(r, 'spotify_track_uri', 'track'),
    track_name: str(r, 'master_metadata_track_name'),
    artist_name: str(r, 'master_metadata_album_artist_name'),
    album_name: str(r, 'master_metadata_album_album_name'),
    episode_id: idOf(r, 'spotify_episode_uri', 'episode'),
    episode_name: str(r, 'episode_name'),
    episode_show_name: str(r, 'episode_show_name'),
    audiobook_id: idOf(r, 'audiobook_uri', 'audiobook'),
    audiobook_title: str(r, 'audiobook_title'),
    audiobook_chapter_id: idOf(r, 'audiobook_chapter_uri', 'chapter'),
    audiobook_chapter_title: str(r, 'audiobook_chapter_title'),
    ms_played: msPlayed(r, 'ms_played'),
    reason_start: str(r, 'reason_start'),
    reason_end: str(r, 'reason_end'),
    shuffle: bool(r, 'shuffle'),
    skipped: bool(r, 'skipped'),
    offline: bool(r, 'offline'),
    offline_timestamp: offlineTimestamp(r),
    incognito_mode: bool(r, 'incognito_mode'),
    platform: str(r, 'platform'),
    conn_country: str(r, 'conn_country') === 'ZZ' ? null : str(r, 'conn_country'),
  }
  play.item_type =
    play.track_id !== null || play.track_name !== null
      ? 'track'
      : play.episode_id !== null || play.episode_name !== null
        ? 'episode'
        : play.audiobook_chapter_id !== null || play.audiobook_id !== null || play.audiobook_title !== null
          ? 'audiobook_chapter'
          : 'unknown'
  return play
}

function toAccountDataPlay(r: Fields, kind: ExportFileKind): ExportPlay {
  const base = { ...EMPTY, source: 'account_data' as const, played_at: accountDataTime(r) }
  const ms_played = msPlayed(r, 'msPlayed')
  if (kind === 'account_data_podcast') {
    const episode_name = str(r, 'episodeName')
    const episode_show_name = str(r, 'podcastName')
    const item_type = episode_name !== null || episode_show_name !== null ? 'episode' : 'unknown'
    return { ...base, item_type, episode_name, episode_show_name, ms_played }
  }
  const track_name = str(r, 'trackName')
  const artist_name = str(r, 'artistName')
  const item_type = track_name !== null || artist_name !== null ? 'track' : 'unknown'
  return { ...base, item_type, track_name, artist_name, ms_played }
}

/**
 * One record of an export file of `kind` to a play, or a reject (a record that is not an object, or a
 * field of the wrong type: a time that is no UTC time, `ms_played` that is no whole number). A record
 * with no URI and no names is a play of unknown content, never a reject.
 */
export function toExportPlay(record: unknown, kind: ExportFileKind): RecordOutcome {
  try {
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new Invalid(
        `expected an object, got ${Array.isArray(record) ? 'an array' : JSON.stringify(record)}`,
      )
    const r = record as Fields
    return { play: kind === 'extended_history' ? toExtendedPlay(r) : toAccountDataPlay(r, kind) }
  } catch (error) {
    if (!(error instanceof Invalid)) throw error
    return {
      reject: { reason: 'invalid_payload', detail: error.message, record: withoutPersonalFields(record) },
    }
  }
}
