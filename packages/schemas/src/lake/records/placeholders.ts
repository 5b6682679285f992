/**
 * @module Spotify's placeholder values: what Spotify sends where it has no value, stored as null.
 *
 * One rule for the whole lake: a value listed here is not a fact, so its column gets null (never the
 * placeholder), and a column derived from it follows (`release_year` and `release_date_precision` of a
 * `"0000"` release date). Raw keeps the placeholder as sent. Each entry says where it was seen.
 */

export interface SpotifyPlaceholder {
  /** The payload field, as a path inside its object. */
  field: 'release_date' | 'added_at' | 'added_by.id'
  /** What the placeholder looks like. */
  looksLike: string
  /** Where Spotify sends it. */
  seenIn: string
}

export const SPOTIFY_PLACEHOLDERS: readonly SpotifyPlaceholder[] = [
  {
    field: 'release_date',
    looksLike: 'a date whose year is 0000 ("0000", "0000-00-00")',
    seenIn: "albums whose release date Spotify does not know (year 0 is no year in Spotify's calendar)",
  },
  {
    field: 'added_at',
    looksLike: 'the Unix epoch, 1970-01-01T00:00:00Z (in any ISO spelling)',
    seenIn: 'playlist entries of very old or Spotify-generated playlists',
  },
  {
    field: 'added_by.id',
    looksLike: 'the empty string (with `uri: "spotify:user:"`)',
    seenIn: 'playlist entries added by Spotify itself (generated and editorial playlists)',
  },
]

/** A `release_date` that is Spotify's "unknown": its year is `0000`. */
export function isPlaceholderReleaseDate(releaseDate: string): boolean {
  return releaseDate.startsWith('0000')
}

/** An `added_at` (epoch milliseconds) that is Spotify's "unknown": the epoch itself. */
export function isPlaceholderAddedAt(epochMs: number): boolean {
  return epochMs === 0
}

/** An `added_by.id` that is Spotify's "nobody we know": the empty string. */
export function isPlaceholderUserId(id: string): boolean {
  return id === ''
}
