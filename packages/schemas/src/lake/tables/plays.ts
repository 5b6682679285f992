/**
 * @module The `plays` lake table: one row per play of a connected account, from the API (GET
 * /me/player/recently-played) or from an imported privacy export (both packages).
 */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/** Where a play row came from: the API poll, or one of the privacy export's two packages. */
export const PLAY_SOURCES = ['recently_played', 'extended_history', 'account_data'] as const
export type PlaySource = (typeof PLAY_SOURCES)[number]

const fromExport = (what: string) => `${what}; null for recently_played rows (the API has no such field).`

/**
 * An account's listening history: the API shows only the last 50 plays, so the recently_played source
 * polls often and a play is kept once, whichever polls saw it; an imported privacy export adds the whole
 * history with the fields the API never gives. Rows of the same listen from two sources (an export
 * play and a poll of it) both stay here, each with its `source`; the view `listens` keeps one.
 * A track's details are in `tracks` when the lake has it (the API rows' tracks always are).
 */
export const playsTable = defineTable({
  name: 'plays',
  description:
    'Plays of each connected Spotify account, one row per play per source (recently_played polls, imported privacy exports); the view listens has one row per real listen.',
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    played_at: col.timestamp({
      description:
        'When the play ended, UTC: to the millisecond (recently_played), the second (extended_history) or the minute (account_data).',
    }),
    play_key: col.string({
      description:
        'What was played, as the primary key needs it (not for display): the Spotify URI of the track, episode or chapter, or the names (account_data) or "unknown"; export rows add "@<ms_played>" so two plays ending in the same second stay two.',
    }),
    track_id: col.string({
      nullable: true,
      description:
        'Spotify track id; null for episodes, audiobooks, unknown content, and account_data rows no catalog track matched by artist and track name.',
    }),
    context_type: col.string({
      nullable: true,
      description:
        'What the track was played from: artist, playlist, album, show...; null when played outside a context, and for export rows.',
    }),
    context_uri: col.string({
      nullable: true,
      description: 'Spotify URI of the context; null when played outside a context, and for export rows.',
    }),
    source: col.string({
      description:
        'Where the row came from: recently_played (API poll), extended_history or account_data (privacy export).',
    }),
    item_type: col.string({
      description:
        'What was played: track, episode, audiobook_chapter, or unknown (an export row with no URI and no names).',
    }),
    ms_played: col.int64({ nullable: true, description: fromExport('Milliseconds played (0 happens)') }),
    reason_start: col.string({
      nullable: true,
      description: fromExport(
        'Why the play started (trackdone, clickrow, fwdbtn, ...: an open set, kept as sent)',
      ),
    }),
    reason_end: col.string({
      nullable: true,
      description: fromExport(
        'Why the play ended (trackdone, endplay, logout, ...: an open set, kept as sent)',
      ),
    }),
    shuffle: col.boolean({ nullable: true, description: fromExport('Shuffle was on') }),
    skipped: col.boolean({
      nullable: true,
      description: fromExport('The play was skipped; also null where the export has null (some years)'),
    }),
    offline: col.boolean({ nullable: true, description: fromExport('Played offline') }),
    offline_timestamp: col.timestamp({
      nullable: true,
      description: fromExport(
        'When offline mode began, UTC (the export has ms in older rows, s in newer; 0 is null)',
      ),
    }),
    incognito_mode: col.boolean({ nullable: true, description: fromExport('Played in a private session') }),
    platform: col.string({ nullable: true, description: fromExport('Device or OS, free text as sent') }),
    conn_country: col.string({
      nullable: true,
      description: fromExport("ISO country code of the connection; Spotify's ZZ (unknown) is null"),
    }),
    track_name: col.string({ nullable: true, description: fromExport('Track name as the export gives it') }),
    artist_name: col.string({
      nullable: true,
      description: fromExport('Album artist (extended_history) or artist (account_data) name'),
    }),
    album_name: col.string({ nullable: true, description: fromExport('Album name (extended_history)') }),
    episode_id: col.string({
      nullable: true,
      description: fromExport('Spotify episode id (podcasts, video podcasts)'),
    }),
    episode_name: col.string({ nullable: true, description: fromExport('Podcast episode name') }),
    episode_show_name: col.string({ nullable: true, description: fromExport('Podcast (show) name') }),
    audiobook_id: col.string({ nullable: true, description: fromExport('Spotify audiobook id') }),
    audiobook_title: col.string({ nullable: true, description: fromExport('Audiobook title') }),
    audiobook_chapter_id: col.string({ nullable: true, description: fromExport('Spotify chapter id') }),
    audiobook_chapter_title: col.string({
      nullable: true,
      description: fromExport('Audiobook chapter title'),
    }),
  },
  primaryKey: ['account_id', 'played_at', 'play_key'],
})

export const PlayRowSchema = playsTable.rowSchema
export type PlayRow = z.output<typeof PlayRowSchema>
export type PlayRowInput = z.input<typeof PlayRowSchema>

/** The fields `playKeyOf` reads. */
export type PlayKeyFields = Pick<
  PlayRow,
  | 'source'
  | 'track_id'
  | 'episode_id'
  | 'audiobook_chapter_id'
  | 'audiobook_id'
  | 'track_name'
  | 'artist_name'
  | 'episode_name'
  | 'episode_show_name'
  | 'ms_played'
>

/**
 * The `play_key` of a play: `spotify:track:<id>` for an API play; for an export play the URI of what
 * was played (track, episode, chapter, audiobook), else its names as a JSON pair (`names:["artist","track"]`,
 * `names:["show","episode"]`), else `unknown`, then `@<ms_played>`. Account-data rows are keyed by their
 * names even when a track id was matched, so the key does not change when the catalog grows.
 */
export function playKeyOf(play: PlayKeyFields): string {
  if (play.source === 'recently_played') return `spotify:track:${play.track_id}`
  const names = (a: string | null, b: string | null) =>
    a === null && b === null ? null : `names:${JSON.stringify([a, b])}`
  const content =
    play.source === 'account_data'
      ? (names(play.artist_name, play.track_name) ??
        names(play.episode_show_name, play.episode_name) ??
        'unknown')
      : play.track_id !== null
        ? `spotify:track:${play.track_id}`
        : play.episode_id !== null
          ? `spotify:episode:${play.episode_id}`
          : play.audiobook_chapter_id !== null
            ? `spotify:chapter:${play.audiobook_chapter_id}`
            : play.audiobook_id !== null
              ? `spotify:audiobook:${play.audiobook_id}`
              : (names(play.artist_name, play.track_name) ??
                names(play.episode_show_name, play.episode_name) ??
                'unknown')
  return `${content}@${play.ms_played}`
}

/** The export-only columns, all null: what a recently_played row has of them. */
export const NO_EXPORT_FIELDS = {
  ms_played: null,
  reason_start: null,
  reason_end: null,
  shuffle: null,
  skipped: null,
  offline: null,
  offline_timestamp: null,
  incognito_mode: null,
  platform: null,
  conn_country: null,
  track_name: null,
  artist_name: null,
  album_name: null,
  episode_id: null,
  episode_name: null,
  episode_show_name: null,
  audiobook_id: null,
  audiobook_title: null,
  audiobook_chapter_id: null,
  audiobook_chapter_title: null,
} as const satisfies Partial<PlayRow>
