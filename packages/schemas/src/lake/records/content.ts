/** @module The kind of a playlist entry's content, from the fields that tell the kinds apart. */
import type { PlaylistContentHead } from './records.ts'

export const LOCAL_URI_PREFIX = 'spotify:local:'

/** A catalog track, a local file, or a podcast episode (also the track-shaped one). */
export type PlaylistContentKindName = 'track' | 'local' | 'episode'

/**
 * The kind of a content whose head passed `PlaylistContentHeadSchema`: an episode by its `type`, a
 * local file by `is_local` or its `spotify:local:` URI (re-encoded responses drop `is_local`), else a
 * catalog track (also when `type` is absent, as in `fields=` projections).
 */
export function playlistContentKindOf(head: PlaylistContentHead): PlaylistContentKindName {
  if (head.type === 'episode') return 'episode'
  if (head.is_local === true || head.uri?.startsWith(LOCAL_URI_PREFIX)) return 'local'
  return 'track'
}
