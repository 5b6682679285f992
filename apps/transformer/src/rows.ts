/** @module Row builders: one parsed Spotify object in, one lake row input out (no validation, no I/O). */
import type {
  AlbumRowInput,
  ArtistRowInput,
  CatalogTrack,
  Image,
  PlaylistItem,
  PlaylistItemRowInput,
  PlaylistRowInput,
  SimplifiedAlbum,
  SimplifiedArtist,
  TrackRowInput,
} from '@spotify-lake/schemas'
import { playlistContentKind, playlistItemContent } from '@spotify-lake/schemas'

/** Lineage every row carries: the run and when Spotify answered the request the object came from. */
export interface Lineage {
  runId: string
  extractedAt: string
}

function lineage({ runId, extractedAt }: Lineage) {
  return { _run_id: runId, _extracted_at: extractedAt }
}

/** The largest image by area (Spotify lists them largest first, but not every payload does). */
export function largestImageUrl(images: readonly (Image | null)[] | null | undefined): string | null {
  let best: Image | null = null
  for (const image of images ?? []) {
    if (!image) continue
    const area = (image.width ?? 0) * (image.height ?? 0)
    if (!best || area > (best.width ?? 0) * (best.height ?? 0)) best = image
  }
  return best?.url ?? null
}

/** `1981`, `1981-12` and `1981-12-04` all start with the year; anything else yields NaN and fails the row schema. */
function releaseYear(releaseDate: string | null | undefined): number {
  return releaseDate ? Number.parseInt(releaseDate.slice(0, 4), 10) : Number.NaN
}

export function toTrackRow(track: CatalogTrack, from: Lineage): TrackRowInput {
  return {
    track_id: track.id,
    name: track.name,
    uri: track.uri,
    duration_ms: track.duration_ms,
    explicit: track.explicit,
    isrc: track.external_ids?.isrc ?? null,
    album_id: track.album.id,
    album_name: track.album.name,
    disc_number: track.disc_number,
    track_number: track.track_number,
    artist_ids: track.artists.map((a) => a.id),
    artist_names: track.artists.map((a) => a.name),
    is_playable: track.is_playable ?? null,
    popularity: track.popularity ?? null,
    ...lineage(from),
  }
}

/** A full album (GET /albums) or the simplified one inside a track: missing fields become nulls/empty lists. */
export function toAlbumRow(
  album: SimplifiedAlbum & {
    label?: string | undefined
    popularity?: number | undefined
    genres?: string[] | undefined
    external_ids?: { upc?: string | undefined } | undefined
    tracks?: { total: number } | undefined
  },
  from: Lineage,
): AlbumRowInput {
  const artists = album.artists ?? []
  return {
    album_id: album.id,
    name: album.name,
    uri: album.uri,
    album_type: album.album_type as AlbumRowInput['album_type'],
    total_tracks: (album.total_tracks ?? album.tracks?.total) as number,
    release_date: album.release_date as string,
    release_date_precision: album.release_date_precision as AlbumRowInput['release_date_precision'],
    release_year: releaseYear(album.release_date),
    upc: album.external_ids?.upc ?? null,
    label: album.label ?? null,
    artist_ids: artists.map((a) => a.id),
    artist_names: artists.map((a) => a.name),
    genres: album.genres ?? [],
    popularity: album.popularity ?? null,
    image_url: largestImageUrl(album.images),
    ...lineage(from),
  }
}

/** A full artist or the simplified one inside tracks and albums. */
export function toArtistRow(
  artist: SimplifiedArtist & {
    genres?: string[] | undefined
    popularity?: number | undefined
    followers?: { total: number } | undefined
    images?: Image[] | undefined
  },
  from: Lineage,
): ArtistRowInput {
  return {
    artist_id: artist.id,
    name: artist.name,
    uri: artist.uri,
    genres: artist.genres ?? [],
    popularity: artist.popularity ?? null,
    followers: artist.followers?.total ?? null,
    image_url: largestImageUrl(artist.images),
    ...lineage(from),
  }
}

/** The playlist fields the `playlists` row needs (the items page is passed separately). */
export interface PlaylistMeta {
  id: string
  name: string
  description: string | null
  uri: string
  snapshot_id?: string | undefined
  owner: { id: string; display_name?: string | null | undefined }
  public: boolean | null
  collaborative: boolean
  followers?: { total: number } | undefined
  images: (Image | null)[] | null
}

export function toPlaylistRow(
  playlist: PlaylistMeta,
  itemsTotal: number | undefined,
  from: Lineage,
): PlaylistRowInput {
  return {
    playlist_id: playlist.id,
    name: playlist.name,
    description: playlist.description,
    uri: playlist.uri,
    // The 2014 beta API had no snapshots: an empty string says "Spotify sent none".
    snapshot_id: playlist.snapshot_id ?? '',
    owner_id: playlist.owner.id,
    owner_display_name: playlist.owner.display_name ?? null,
    public: playlist.public,
    collaborative: playlist.collaborative,
    items_total: itemsTotal as number,
    followers: playlist.followers?.total ?? null,
    image_url: largestImageUrl(playlist.images),
    ...lineage(from),
  }
}

export interface ItemPosition {
  playlistId: string
  snapshotId: string
  position: number
}

/**
 * One playlist position. Every shape yields a row: a removed track (null content) is `unavailable`,
 * so positions add up to the playlist's total and nothing disappears silently.
 */
export function toPlaylistItemRow(
  entry: PlaylistItem,
  at: ItemPosition,
  from: Lineage,
): PlaylistItemRowInput {
  const base = {
    playlist_id: at.playlistId,
    position: at.position,
    snapshot_id: at.snapshotId,
    added_at: entry.added_at,
    // Spotify-generated items carry `added_by.id: ""`: that is "nobody we know", i.e. null.
    added_by_id: entry.added_by?.id || null,
    ...lineage(from),
  }
  const content = playlistItemContent(entry)
  if (content === null) {
    return {
      ...base,
      item_type: 'unavailable',
      item_id: null,
      item_uri: null,
      item_name: null,
      duration_ms: null,
      album_id: null,
      artist_ids: [],
      artist_names: [],
      is_local: entry.is_local ?? false,
    }
  }
  const common = { item_uri: content.uri, item_name: content.name, duration_ms: content.duration_ms }
  switch (playlistContentKind(content)) {
    case 'track': {
      const track = content as CatalogTrack
      return {
        ...base,
        ...common,
        item_type: 'track',
        item_id: track.id,
        album_id: track.album.id,
        artist_ids: track.artists.map((a) => a.id),
        artist_names: track.artists.map((a) => a.name),
        is_local: false,
      }
    }
    case 'local-track': {
      // Local files only have the names the user's file tags gave: no ids at all.
      const artists = (content as { artists: { name?: string | null }[] }).artists
      return {
        ...base,
        ...common,
        item_type: 'local',
        item_id: null,
        album_id: null,
        artist_ids: [],
        artist_names: artists.flatMap((a) => (a.name ? [a.name] : [])),
        is_local: true,
      }
    }
    default:
      // Episodes (also the track-shaped ones, whose "album" is the show): no album, no artists.
      return {
        ...base,
        ...common,
        item_type: 'episode',
        item_id: (content as { id: string }).id,
        album_id: null,
        artist_ids: [],
        artist_names: [],
        is_local: false,
      }
  }
}
