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

/**
 * The object name (no extension) of one part of a play file in the raw zone, `<file>-<part>-<name>`:
 * file and part numbers keep the upload's order, the file's own name keeps its kind.
 */
export function rawPartName(fileIndex: number, part: number, path: string): string {
  const base = (path.split(/[\\/]/).at(-1) ?? 'file').replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]/g, '_')
  return `${String(fileIndex).padStart(3, '0')}-${String(part).padStart(4, '0')}-${base}`.slice(0, 200)
}

/** The play-file name a raw part was cut from (`Streaming_History_Audio_2021_0.json`), for `readExport`. */
export function exportNameOfRawPart(key: string): string {
  const name = key.split('/').at(-1) ?? ''
  return `${name.replace(/\.json\.gz$/, '').replace(/^\d{3}-\d{4}-/, '')}.json`
}
