/** @module Which files of a Spotify privacy export hold plays, and of which package (FORMAT.md of the export). */

/** The two packages' play files: extended streaming history, account data music, account data podcasts. */
export type ExportFileKind = 'extended_history' | 'account_data_music' | 'account_data_podcast'

const PATTERNS: readonly [RegExp, ExportFileKind][] = [
  // Extended streaming history: Streaming_History_Audio_2021_0.json, Streaming_History_Video_2019-2023.json,
  // older exports endsong_0.json.
  [/^Streaming_History_(Audio|Video)_[^/]*\.json$/i, 'extended_history'],
  [/^endsong_\d+\.json$/i, 'extended_history'],
  // Account data: StreamingHistory_music_0.json, StreamingHistory_podcast_0.json, older StreamingHistory0.json (music only).
  [/^StreamingHistory_music_\d+\.json$/i, 'account_data_music'],
  [/^StreamingHistory\d+\.json$/i, 'account_data_music'],
  [/^StreamingHistory_podcast_\d+\.json$/i, 'account_data_podcast'],
]

/**
 * The kind of an export file by its name (any folder: `Spotify Extended Streaming History/`, `MyData/`,
 * `Spotify Account Data/`, or none), or null for a file that holds no plays (`Userdata.json`,
 * `Playlist1.json`, `SearchQueries.json`, ...): those are never read, as some hold personal data.
 */
export function exportFileKind(path: string): ExportFileKind | null {
  const name = path.split(/[\\/]/).at(-1) ?? ''
  if (name.startsWith('._')) return null // macOS resource forks inside zips made on a Mac
  for (const [pattern, kind] of PATTERNS) if (pattern.test(name)) return kind
  return null
}
