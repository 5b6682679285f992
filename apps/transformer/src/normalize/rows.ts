/**
 * @module Row builders: one validated record in, one lake row out (no validation, no I/O).
 *
 * Each reads only what its record schema (`@spotify-lake/schemas`, `records.ts`) validated. Absence stays
 * absence: a field Spotify did not send is null in the row, never a default; Spotify's placeholders
 * (`SPOTIFY_PLACEHOLDERS`) become null, and what is derived from them follows.
 */
import {
  type AlbumRecord,
  type AlbumRow,
  type ArtistRecord,
  type ArtistRow,
  type FollowedArtistRow,
  isPlaceholderAddedAt,
  isPlaceholderReleaseDate,
  isPlaceholderUserId,
  type ListedArtistRecord,
  NO_EXPORT_FIELDS,
  type PlaylistEntryRecord,
  type PlaylistEpisodeContent,
  type PlaylistItemRow,
  type PlaylistLocalContent,
  type PlaylistRecord,
  type PlaylistRow,
  type PlaylistTrackContent,
  type PlayRecord,
  type PlayRow,
  playKeyOf,
  type TopArtistRow,
  type TopTrackRecord,
  type TopTrackRow,
  type TrackRecord,
  type TrackRow,
} from '@spotify-lake/schemas'

/** Lineage every row carries: the run and when Spotify answered the request the object came from. */
export interface Lineage {
  runId: string
  /** One Date per response, shared by its rows. */
  extractedAt: Date
}

type Image = { url?: string | null; width?: number | null; height?: number | null } | null

/** The largest image with a URL, by area (Spotify lists them largest first, but not every payload does). */
export function largestImageUrl(images: readonly Image[] | null | undefined): string | null {
  let best: string | null = null
  let bestArea = -1
  for (const image of images ?? []) {
    if (!image?.url) continue
    const area = (image.width ?? 0) * (image.height ?? 0)
    if (area > bestArea) {
      best = image.url
      bestArea = area
    }
  }
  return best
}

type ArtistRefs = readonly { id: string; name: string }[] | null | undefined

function artistIds(artists: ArtistRefs): string[] | null {
  return artists ? artists.map((a) => a.id) : null
}

function artistNames(artists: ArtistRefs): string[] | null {
  return artists ? artists.map((a) => a.name) : null
}

export function toTrackRow(track: TrackRecord, from: Lineage): TrackRow {
  return {
    track_id: track.id,
    name: track.name ?? null,
    uri: track.uri ?? null,
    duration_ms: track.duration_ms ?? null,
    explicit: track.explicit ?? null,
    isrc: track.external_ids?.isrc ?? null,
    album_id: track.album?.id ?? null,
    album_name: track.album?.name ?? null,
    disc_number: track.disc_number ?? null,
    track_number: track.track_number ?? null,
    artist_ids: artistIds(track.artists),
    artist_names: artistNames(track.artists),
    is_playable: track.is_playable ?? null,
    popularity: track.popularity ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** A full album (GET /albums) or the simplified one inside a track. */
export function toAlbumRow(album: AlbumRecord, from: Lineage): AlbumRow {
  const sent = album.release_date ?? null
  // The placeholder "0000" is no date: the date, its precision and its year are all unknown.
  const releaseDate = sent !== null && !isPlaceholderReleaseDate(sent) ? sent : null
  return {
    album_id: album.id,
    name: album.name ?? null,
    uri: album.uri ?? null,
    album_type: album.album_type ?? null,
    total_tracks: album.total_tracks ?? album.tracks?.total ?? null,
    release_date: releaseDate,
    release_date_precision: releaseDate === null ? null : (album.release_date_precision ?? null),
    release_year: releaseDate === null ? null : Number(releaseDate.slice(0, 4)),
    upc: album.external_ids?.upc ?? null,
    label: album.label ?? null,
    artist_ids: artistIds(album.artists),
    artist_names: artistNames(album.artists),
    genres: album.genres ?? null,
    popularity: album.popularity ?? null,
    image_url: largestImageUrl(album.images),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** A full artist or the simplified one inside tracks and albums (which has no genres: null, not []). */
export function toArtistRow(artist: ArtistRecord, from: Lineage): ArtistRow {
  return {
    artist_id: artist.id,
    name: artist.name ?? null,
    uri: artist.uri ?? null,
    genres: artist.genres ?? null,
    popularity: artist.popularity ?? null,
    followers: artist.followers?.total ?? null,
    image_url: largestImageUrl(artist.images),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** `itemsTotal` is the items page's `total`, null when the response held no page (development mode). */
export function toPlaylistRow(
  playlist: PlaylistRecord,
  itemsTotal: number | null,
  from: Lineage,
): PlaylistRow {
  return {
    playlist_id: playlist.id,
    name: playlist.name ?? null,
    description: playlist.description ?? null,
    uri: playlist.uri ?? null,
    snapshot_id: playlist.snapshot_id ?? null,
    owner_id: playlist.owner?.id ?? null,
    owner_display_name: playlist.owner?.display_name ?? null,
    public: playlist.public ?? null,
    collaborative: playlist.collaborative ?? null,
    items_total: itemsTotal,
    followers: playlist.followers?.total ?? null,
    image_url: largestImageUrl(playlist.images),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

export interface ItemPosition {
  playlistId: string
  snapshotId: string | null
  position: number
}

/** A validated content, tagged with its kind (null content: a track Spotify removed). */
export type ItemContent =
  | { kind: 'track'; content: PlaylistTrackContent }
  | { kind: 'local'; content: PlaylistLocalContent }
  | { kind: 'episode'; content: PlaylistEpisodeContent }
  | { kind: 'unavailable'; content: null }

/**
 * One playlist position. Every kind yields a row (a removed track is `unavailable`), so positions add
 * up to the playlist's total and nothing disappears silently.
 */
export function toPlaylistItemRow(
  entry: PlaylistEntryRecord,
  item: ItemContent,
  at: ItemPosition,
  from: Lineage,
): PlaylistItemRow {
  const addedAt = entry.added_at ? new Date(entry.added_at) : null
  const addedBy = entry.added_by?.id ?? null
  const row: PlaylistItemRow = {
    playlist_id: at.playlistId,
    position: at.position,
    snapshot_id: at.snapshotId,
    item_type: item.kind,
    item_id: null,
    item_uri: null,
    item_name: null,
    duration_ms: null,
    album_id: null,
    artist_ids: null,
    artist_names: null,
    is_local: item.kind === 'local',
    added_at: addedAt && !isPlaceholderAddedAt(addedAt.getTime()) ? addedAt : null,
    added_by_id: addedBy !== null && !isPlaceholderUserId(addedBy) ? addedBy : null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
  switch (item.kind) {
    case 'unavailable':
      // Spotify's own flag on the entry is all that is left of a removed local file.
      row.is_local = entry.is_local ?? false
      break
    case 'track': {
      const track = item.content
      row.item_id = track.id ?? null
      row.item_uri = track.uri ?? null
      row.item_name = track.name ?? null
      row.duration_ms = track.duration_ms ?? null
      row.album_id = track.album?.id ?? null
      row.artist_ids = artistIds(track.artists)
      row.artist_names = artistNames(track.artists)
      break
    }
    case 'local': {
      // Local files have only the names the user's file tags gave: no ids, and an untagged artist says nothing.
      const local = item.content
      row.item_uri = local.uri ?? null
      row.item_name = local.name ?? null
      row.duration_ms = local.duration_ms ?? null
      row.artist_names = local.artists ? local.artists.flatMap((a) => (a.name ? [a.name] : [])) : null
      break
    }
    case 'episode': {
      // Episodes (also the track-shaped ones, whose "album" is the show): no album, no artists.
      const episode = item.content
      row.item_id = episode.id ?? null
      row.item_uri = episode.uri ?? null
      row.item_name = episode.name ?? null
      row.duration_ms = episode.duration_ms ?? null
      break
    }
  }
  return row
}

/** A play of `accountId`: the time, the track and where it was played from (null outside a context). */
export function toPlayRow(play: PlayRecord, accountId: string, from: Lineage): PlayRow {
  return {
    account_id: accountId,
    played_at: new Date(play.played_at),
    play_key: playKeyOf({ ...NO_EXPORT_FIELDS, source: 'recently_played', track_id: play.track.id }),
    track_id: play.track.id,
    context_type: play.context?.type ?? null,
    context_uri: play.context?.uri ?? null,
    source: 'recently_played',
    item_type: 'track',
    ...NO_EXPORT_FIELDS,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** Where a ranked item sits: whose list, which time range, and its 1-based rank. */
export interface RankedAt {
  accountId: string
  timeRange: string
  rank: number
}

/** A track at `rank` of an account's top tracks over a time range. */
export function toTopTrackRow(track: TopTrackRecord, at: RankedAt, from: Lineage): TopTrackRow {
  return {
    account_id: at.accountId,
    time_range: at.timeRange,
    rank: at.rank,
    track_id: track.id,
    track_name: track.name ?? null,
    artist_ids: artistIds(track.artists),
    artist_names: artistNames(track.artists),
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** An artist at `rank` of an account's top artists over a time range. */
export function toTopArtistRow(artist: ListedArtistRecord, at: RankedAt, from: Lineage): TopArtistRow {
  return {
    account_id: at.accountId,
    time_range: at.timeRange,
    rank: at.rank,
    artist_id: artist.id,
    artist_name: artist.name ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/** An artist `accountId` follows. */
export function toFollowedArtistRow(
  artist: ArtistRecord,
  accountId: string,
  from: Lineage,
): FollowedArtistRow {
  return {
    account_id: accountId,
    artist_id: artist.id,
    artist_name: artist.name ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}
