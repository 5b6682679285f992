/** @module The catalog ids a page of playlist items refers to: what the run fetches once each. */
import {
  type CatalogTrack,
  type PlaylistItem,
  playlistContentKind,
  playlistItemContent,
} from '@spotify-lake/schemas'

export interface ReferencedIds {
  albums: Set<string>
  artists: Set<string>
}

export function emptyReferencedIds(): ReferencedIds {
  return { albums: new Set(), artists: new Set() }
}

/**
 * Adds the albums and artists of every catalog track in `items`. Local files (null ids), episodes,
 * removed tracks (null content) and unreadable entries (null) refer to nothing Spotify can give us.
 */
export function addReferencedIds(
  into: ReferencedIds,
  items: readonly (PlaylistItem | null)[],
): ReferencedIds {
  for (const entry of items) {
    // An entry the client could not read (null) refers to nothing we can trust.
    if (!entry) continue
    const content = playlistItemContent(entry)
    if (!content || playlistContentKind(content) !== 'track') continue
    const track = content as CatalogTrack
    if (track.album.id) into.albums.add(track.album.id)
    for (const artist of track.artists) if (artist.id) into.artists.add(artist.id)
    for (const artist of track.album.artists ?? []) if (artist.id) into.artists.add(artist.id)
  }
  return into
}
