/** @module The user's library in the fake catalog: saved tracks and albums, play history, top items per time range. */
import { checkCount } from './catalog-entries.ts'
import type {
  FakeAlbum,
  FakeCatalog,
  FakeEpisode,
  FakeLibrary,
  FakePlaylist,
  FakeShow,
  FakeTrack,
} from './catalog-types.ts'
import { createPrng } from './prng.ts'

/** The most recent play; history goes back from here in 7-minute steps (fixed, so bytes are stable). */
export const LAST_PLAYED_AT = Date.UTC(2026, 0, 31, 12, 0, 0)
const PLAY_STEP_MS = 7 * 60_000
const DAY_MS = 86_400_000

export const TIME_RANGES = ['short_term', 'medium_term', 'long_term'] as const
export type TimeRange = (typeof TIME_RANGES)[number]

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export const buildLibrary = ({
  seed,
  tracks,
  albums,
  shows = [],
  episodes = [],
  playlists,
  savedTracks = 30,
  savedAlbums = 5,
  plays = 60,
  followedArtists = 8,
}: {
  seed: string
  tracks: FakeTrack[]
  albums: FakeAlbum[]
  shows?: FakeShow[]
  episodes?: FakeEpisode[]
  playlists: FakePlaylist[]
  savedTracks?: number
  savedAlbums?: number
  plays?: number
  followedArtists?: number
}): FakeLibrary => {
  checkCount('savedTracks', savedTracks, 0, tracks.length)
  checkCount('savedAlbums', savedAlbums, 0, albums.length)
  checkCount('plays', plays, 0, 10_000)
  checkCount('followedArtists', followedArtists, 0, 10_000)
  const prng = createPrng({ seed: `${seed}:library` })
  const contexts = playlists.filter((p) => !p.editorial)
  return {
    followedArtists,
    savedTracks: tracks
      .slice(0, savedTracks)
      .map((t, i) => ({ trackId: t.id, addedAt: isoSeconds(LAST_PLAYED_AT - (i + 1) * DAY_MS) })),
    savedAlbums: albums
      .slice(0, savedAlbums)
      .map((a, i) => ({ albumId: a.id, addedAt: isoSeconds(LAST_PLAYED_AT - (i + 1) * 3 * DAY_MS) })),
    savedShows: shows
      .slice(0, 1)
      .map((s, i) => ({ showId: s.id, addedAt: isoSeconds(LAST_PLAYED_AT - (i + 1) * 5 * DAY_MS) })),
    savedEpisodes: episodes
      .slice(0, 3)
      .map((e, i) => ({ episodeId: e.id, addedAt: isoSeconds(LAST_PLAYED_AT - (i + 1) * 2 * DAY_MS) })),
    // Plays repeat tracks (people replay songs); every other play has no context (null), as Spotify sends.
    plays: Array.from({ length: plays }, (_, i) => ({
      trackId: prng.pick(tracks).id,
      playedAt: LAST_PLAYED_AT - i * PLAY_STEP_MS - prng.int(0, 59_999),
      contextPlaylistId: i % 2 === 0 && contexts.length > 0 ? prng.pick(contexts).id : null,
    })),
  }
}

/** How many positions of a top list move from one simulated day to the next, per time range. */
const DAILY_SWAPS: Record<TimeRange, number> = { short_term: 8, medium_term: 3, long_term: 1 }
/** Spotify's top lists stop well short of everything the user ever played. */
export const TOP_LIST_LENGTH = 100

/**
 * A deterministic ranking per user, type and time range, like Spotify's affinity lists, that moves
 * from one simulated UTC day (`now`) to the next: a seeded shuffle of the catalog per list, then for
 * each day since the library's epoch a few seeded swaps (most for `short_term`), some of which bring in
 * an item from below the cut. So a day's list is always the same, and consecutive days differ a little.
 */
export const topIds = ({
  catalog,
  type,
  range,
  userId,
  now,
}: {
  catalog: FakeCatalog
  type: 'artists' | 'tracks'
  range: TimeRange
  userId: string
  now: number
}): string[] => {
  const ids = (type === 'artists' ? catalog.artists : catalog.tracks).map((x) => x.id)
  const list = `${catalog.seed}:top:${userId}:${type}:${range}`
  const prng = createPrng({ seed: list })
  for (let i = ids.length - 1; i > 0; i--) {
    const j = prng.int(0, i)
    ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
  }
  const length = Math.min(ids.length, TOP_LIST_LENGTH)
  // Reach a little below the cut, so an item can enter the list (and one leave it).
  const reach = Math.min(ids.length, length + Math.ceil(length / 5))
  const days = Math.max(0, Math.floor((now - LAST_PLAYED_AT) / DAY_MS))
  for (let day = 1; day <= days && ids.length > 1; day++) {
    const moves = createPrng({ seed: `${list}:day:${day}` })
    for (let k = 0; k < DAILY_SWAPS[range]; k++) {
      const i = moves.int(0, length - 1)
      const j = moves.int(0, reach - 1)
      ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
    }
  }
  return ids.slice(0, length)
}

/**
 * The artists a user follows: a seeded pick of `count` catalog artists, ordered by id, as GET
 * /me/following pages them (the `after` cursor is the last artist id of a page).
 */
export const followedArtistIds = ({
  catalog,
  userId,
}: {
  catalog: FakeCatalog
  userId: string
}): string[] => {
  const ids = catalog.artists.map((a) => a.id)
  const prng = createPrng({ seed: `${catalog.seed}:following:${userId}` })
  for (let i = ids.length - 1; i > 0; i--) {
    const j = prng.int(0, i)
    ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
  }
  return ids.slice(0, Math.min(ids.length, catalog.library.followedArtists)).sort()
}
