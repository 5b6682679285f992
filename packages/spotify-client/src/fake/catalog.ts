/** @module Builds the deterministic synthetic catalog (artists, albums, tracks, shows, playlists) from a seed. */

import {
  checkCount,
  type EntryContext,
  generateEntries,
  playlistSnapshotId,
  title,
  WORDS,
} from './catalog-entries.ts'
import { buildLibrary } from './catalog-library.ts'
import type {
  FakeAlbum,
  FakeArtist,
  FakeCatalog,
  FakeCatalogOptions,
  FakeEpisode,
  FakePlaylist,
  FakeShow,
  FakeTrack,
  FakeUser,
  ReleaseDatePrecision,
} from './catalog-types.ts'
import { createPrng, spotifyId } from './prng.ts'

export const OTHER_USER_ID = 'other-user'
export const SPOTIFY_USER_ID = 'spotify'

const GENRES = ['indie pop', 'shoegaze', 'jazz', 'techno', 'baroque', 'hip hop', 'ambient', 'fado']
const PRECISIONS: readonly ReleaseDatePrecision[] = ['day', 'month', 'year']
const ALBUM_TYPES = ['album', 'single', 'compilation'] as const
/** Album 0 gets this many tracks (when the pool allows) so album-track paging spans two 50-item pages. */
const BIG_ALBUM_TRACKS = 55

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

const releaseDate = (index: number, precision: ReleaseDatePrecision): string => {
  const year = 1970 + ((index * 7) % 55)
  if (precision === 'year') return String(year)
  const month = pad(1 + (index % 12), 2)
  return precision === 'month' ? `${year}-${month}` : `${year}-${month}-${pad(1 + (index % 28), 2)}`
}

/** A stable 22-character pseudonymous id per (seed, user), like `GET /me`'s `account_id`. */
const accountIdOf = (seed: string, userId: string): string => spotifyId(`${seed}:account:${userId}`)

/** Builds the whole catalog. Pure: depends only on the options. */
export const buildCatalog = ({
  seed: seedOption = 1,
  playlists: playlistCount = 4,
  itemsPerPlaylist = 20,
  sizes,
  editorialSize = 10,
  artists: artistCount = 12,
  albums: albumCount = 24,
  tracks: trackCount = 120,
  shows: showCount = 2,
  episodes: episodeCount = 8,
  userId = 'fake-user',
  users: userCount = 1,
  savedTracks,
  savedAlbums,
  plays,
  followedArtists,
}: FakeCatalogOptions = {}): FakeCatalog => {
  const seed = String(seedOption)
  checkCount('artists', artistCount, 1, 10_000)
  checkCount('albums', albumCount, 1, 10_000)
  checkCount('tracks', trackCount, 1, 100_000)
  checkCount('shows', showCount, 0, 1_000)
  checkCount('episodes', episodeCount, showCount > 0 ? showCount : 0, showCount > 0 ? 10_000 : 0)
  checkCount('users', userCount, 1, 5)
  const prng = createPrng({ seed: `${seed}:catalog` })
  const key = (kind: string, i: number) => `${seed}:${kind}:${i}`

  const artists: FakeArtist[] = Array.from({ length: artistCount }, (_, i) => ({
    id: spotifyId(key('artist', i)),
    name: `${title(prng, 2)} ${i}`,
    genres:
      i % 3 === 2
        ? []
        : [GENRES[i % GENRES.length] ?? 'pop', ...(i % 2 ? [GENRES[(i + 3) % 8] ?? 'pop'] : [])],
    popularity: prng.int(0, 100),
    followers: prng.int(0, 5_000_000),
  }))
  const artistOf = (i: number): string => artists[i % artists.length]?.id ?? ''

  const albums: FakeAlbum[] = Array.from({ length: albumCount }, (_, i) => {
    const precision = PRECISIONS[i % PRECISIONS.length] ?? 'day'
    const albumType = ALBUM_TYPES[i % ALBUM_TYPES.length] ?? 'album'
    return {
      id: spotifyId(key('album', i)),
      name: `${title(prng, 2)} LP ${i}`,
      albumType,
      artistIds: albumType === 'compilation' ? [artistOf(i), artistOf(i + 1)] : [artistOf(i)],
      releaseDate: releaseDate(i, precision),
      releaseDatePrecision: precision,
      label: `${prng.pick(WORDS)} Records`,
      popularity: prng.int(0, 100),
      upc: String(600000000000 + i),
      trackIds: [],
    }
  })

  const bigAlbum = trackCount >= 2 * BIG_ALBUM_TRACKS ? BIG_ALBUM_TRACKS : 0
  const tracks: FakeTrack[] = Array.from({ length: trackCount }, (_, i) => {
    const albumIndex = i < bigAlbum || albums.length === 1 ? 0 : 1 + ((i - bigAlbum) % (albums.length - 1))
    const album = albums[albumIndex] as FakeAlbum
    const id = spotifyId(key('track', i))
    album.trackIds.push(id)
    return {
      id,
      name: `${title(prng, 3)} ${i}`,
      albumId: album.id,
      artistIds: i % 5 === 4 ? [...album.artistIds, artistOf(i + 7)] : [...album.artistIds],
      durationMs: prng.int(90_000, 480_000),
      explicit: i % 7 === 0,
      popularity: prng.int(0, 100),
      discNumber: 1,
      trackNumber: album.trackIds.length,
      isrc: `USFAK${pad(i % 100, 2)}${pad(i, 5)}`,
      relinked: i % 10 === 9,
    }
  })

  const shows: FakeShow[] = Array.from({ length: showCount }, (_, i) => ({
    id: spotifyId(key('show', i)),
    name: `The ${title(prng, 1)} Podcast`,
    publisher: `${prng.pick(WORDS)} Media`,
    episodeIds: [],
  }))
  const episodes: FakeEpisode[] = Array.from({ length: showCount > 0 ? episodeCount : 0 }, (_, i) => {
    const show = shows[i % shows.length] as FakeShow
    const id = spotifyId(key('episode', i))
    show.episodeIds.push(id)
    const precision = PRECISIONS[i % PRECISIONS.length] ?? 'day'
    return {
      id,
      name: `Episode ${i}: ${title(prng, 2)}`,
      showId: show.id,
      durationMs: prng.int(600_000, 5_400_000),
      explicit: i % 4 === 0,
      releaseDate: releaseDate(i + 40, precision),
      releaseDatePrecision: precision,
    }
  })

  const accounts: FakeUser[] = Array.from({ length: userCount }, (_, i) => {
    const id = i === 0 ? userId : `${userId}-${i + 1}`
    return { id, displayName: i === 0 ? 'Fake User' : `Fake User ${i + 1}`, accountId: accountIdOf(seed, id) }
  })
  const user = accounts[0] as FakeUser
  const users: FakeUser[] = [
    ...accounts,
    { id: OTHER_USER_ID, displayName: 'Other User', accountId: accountIdOf(seed, OTHER_USER_ID) },
    { id: SPOTIFY_USER_ID, displayName: 'Spotify', accountId: accountIdOf(seed, SPOTIFY_USER_ID) },
  ]
  const context: EntryContext = { seed, tracks, episodes }
  const playlistSizes = sizes ?? Array.from({ length: playlistCount }, () => itemsPerPlaylist)
  const playlists: FakePlaylist[] = playlistSizes.map((size, i) => {
    // Each user's playlists cycle so 4+ of them cover: owned public, owned private, someone else's, collaborative.
    const home = accounts[i % userCount] as FakeUser
    const role = Math.floor(i / userCount) % 4
    const ownerId = role < 2 ? home.id : OTHER_USER_ID
    const base = {
      id: spotifyId(key('playlist', i)),
      ownerId,
      collaborators: role === 3 ? [home.id] : [],
      editorial: false,
      version: 1,
    }
    const name = `${title(prng, 2)} Mix ${i}`
    const followers = prng.int(0, 1000)
    const entries = generateEntries({ context, playlist: base, size })
    // The other users follow a user's own public playlists: one playlist, several accounts listing it.
    const listedBy = role === 0 ? accounts.map((a) => a.id) : [home.id]
    return {
      ...base,
      name,
      description: `Synthetic playlist ${i}`,
      public: role !== 1 && role !== 3,
      collaborative: role === 3,
      followers,
      listedBy,
      snapshotId: playlistSnapshotId({ seed, id: base.id, version: 1, entries }),
      entries,
    }
  })
  // Real editorial ids start with 37i9dQZF1: keep that prefix so id-based heuristics behave.
  const editorialBase = {
    id: `37i9dQZF1${spotifyId(key('editorial', 0)).slice(9)}`,
    ownerId: SPOTIFY_USER_ID,
    collaborators: [],
    editorial: true,
    version: 1,
  }
  const editorialFollowers = 1_000_000 + prng.int(0, 1000)
  const editorialEntries = generateEntries({ context, playlist: editorialBase, size: editorialSize })
  playlists.push({
    ...editorialBase,
    name: "Today's Fake Hits",
    description: 'Editorial playlist (Spotify-owned)',
    public: true,
    collaborative: false,
    followers: editorialFollowers,
    listedBy: accounts.map((a) => a.id),
    snapshotId: playlistSnapshotId({ seed, id: editorialBase.id, version: 1, entries: editorialEntries }),
    entries: editorialEntries,
  })

  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]))
  return {
    seed,
    user,
    accounts,
    users,
    artists,
    albums,
    tracks,
    shows,
    episodes,
    playlists,
    library: buildLibrary({
      seed,
      tracks,
      albums,
      shows,
      episodes,
      playlists,
      savedTracks,
      savedAlbums,
      plays,
      followedArtists,
    }),
    artistById: byId(artists),
    albumById: byId(albums),
    trackById: byId(tracks),
    showById: byId(shows),
    episodeById: byId(episodes),
    playlistById: byId(playlists),
    userById: byId(users),
  }
}
