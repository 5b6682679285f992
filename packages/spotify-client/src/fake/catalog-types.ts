/** @module The fake's synthetic catalog: declared shapes of what it serves (rendered to Spotify JSON per mode elsewhere). */

export type ReleaseDatePrecision = 'year' | 'month' | 'day'

export interface FakeUser {
  id: string
  displayName: string
  /** `GET /me`'s stable, pseudonymous `account_id` (since May 2026): the key for data of several accounts. */
  accountId: string
}

export interface FakeArtist {
  id: string
  name: string
  /** Empty for some artists on purpose (Spotify returns [] when unclassified). */
  genres: string[]
  popularity: number
  followers: number
}

export interface FakeAlbum {
  id: string
  name: string
  albumType: 'album' | 'single' | 'compilation'
  artistIds: string[]
  releaseDate: string
  releaseDatePrecision: ReleaseDatePrecision
  label: string
  popularity: number
  upc: string
  /** In track-number order. */
  trackIds: string[]
}

export interface FakeTrack {
  id: string
  name: string
  albumId: string
  artistIds: string[]
  durationMs: number
  explicit: boolean
  popularity: number
  discNumber: number
  trackNumber: number
  isrc: string
  /** Extended mode shows `linked_from` (track relinking) for these. */
  relinked: boolean
}

export interface FakeShow {
  id: string
  name: string
  publisher: string
  episodeIds: string[]
}

export interface FakeEpisode {
  id: string
  name: string
  showId: string
  durationMs: number
  explicit: boolean
  releaseDate: string
  releaseDatePrecision: ReleaseDatePrecision
}

export interface FakeLocalFile {
  title: string
  artist: string
  album: string
  durationMs: number
}

interface EntryBase {
  addedAt: string
  addedBy: string
}

/** One playlist position. `removed` is a track Spotify no longer has: the item's track is null. */
export type FakePlaylistEntry =
  | (EntryBase & { kind: 'track'; trackId: string })
  | (EntryBase & { kind: 'episode'; episodeId: string })
  | (EntryBase & { kind: 'local'; local: FakeLocalFile })
  | (EntryBase & { kind: 'removed' })

export interface FakePlaylist {
  id: string
  name: string
  description: string
  ownerId: string
  public: boolean
  collaborative: boolean
  /** Users other than the owner who may read and edit the items. */
  collaborators: string[]
  /** Spotify-owned editorial playlist (404 for development-mode apps). */
  editorial: boolean
  followers: number
  /** Consenting users whose `GET /me/playlists` lists this playlist (owned, collaborated on or followed). */
  listedBy: string[]
  /** Bumped by every mutation; the snapshot id is derived from it. */
  version: number
  snapshotId: string
  entries: FakePlaylistEntry[]
}

/** The consenting user's library and listening history (only visible with a user token). */
export interface FakeLibrary {
  /** Newest first, as GET /me/tracks lists them. */
  savedTracks: { trackId: string; addedAt: string }[]
  savedAlbums: { albumId: string; addedAt: string }[]
  /** The first show and the first three episodes, newest first (GET /me/shows, /me/episodes). */
  savedShows: { showId: string; addedAt: string }[]
  savedEpisodes: { episodeId: string; addedAt: string }[]
  /** Newest first; `playedAt` in ms since the epoch (the cursor unit). */
  plays: { trackId: string; playedAt: number; contextPlaylistId: string | null }[]
  /** How many artists each user follows (GET /me/following; which ones: `followedArtistIds`). */
  followedArtists: number
}

export interface FakeCatalog {
  seed: string
  /** The first user who consented (owner of the initial refresh token). */
  user: FakeUser
  /** Every user who can consent (a development-mode app allows up to 5), `user` first. */
  accounts: FakeUser[]
  users: FakeUser[]
  artists: FakeArtist[]
  albums: FakeAlbum[]
  tracks: FakeTrack[]
  shows: FakeShow[]
  episodes: FakeEpisode[]
  /** User-visible playlists first, the editorial playlist(s) last. */
  playlists: FakePlaylist[]
  artistById: Map<string, FakeArtist>
  albumById: Map<string, FakeAlbum>
  trackById: Map<string, FakeTrack>
  showById: Map<string, FakeShow>
  episodeById: Map<string, FakeEpisode>
  library: FakeLibrary
  playlistById: Map<string, FakePlaylist>
  userById: Map<string, FakeUser>
}

export interface FakeCatalogOptions {
  /** Same seed, same catalog, same bytes. */
  seed?: string | number
  /** Number of non-editorial playlists (ignored when `sizes` is given). */
  playlists?: number
  itemsPerPlaylist?: number
  /** Item count of each non-editorial playlist (0 to 10,000); overrides `playlists`/`itemsPerPlaylist`. */
  sizes?: number[]
  /** Item count of the Spotify-owned editorial playlist. */
  editorialSize?: number
  artists?: number
  albums?: number
  tracks?: number
  shows?: number
  episodes?: number
  userId?: string
  /**
   * Users who can consent (1 to 5, default 1): `userId`, then `<userId>-2`... Playlist `i` belongs to
   * user `i % users` with the ownership role `floor(i / users) % 4` (see the README), and every user also
   * follows the others' owned public playlists, so two accounts list one playlist.
   */
  users?: number
  /** Library sizes (GET /me/tracks, /me/albums, /me/player/recently-played). */
  savedTracks?: number
  savedAlbums?: number
  plays?: number
  /** Artists each user follows (GET /me/following?type=artist), at most the catalog's artists. */
  followedArtists?: number
}
