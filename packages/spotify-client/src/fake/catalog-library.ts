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
}): FakeLibrary => {
  checkCount('savedTracks', savedTracks, 0, tracks.length)
  checkCount('savedAlbums', savedAlbums, 0, albums.length)
  checkCount('plays', plays, 0, 10_000)
  const prng = createPrng({ seed: `${seed}:library` })
  const contexts = playlists.filter((p) => !p.editorial)
  return {
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

/** A deterministic ranking per time range (a seeded shuffle), like Spotify's affinity lists. */
export const topIds = ({
  catalog,
  type,
  range,
}: {
  catalog: FakeCatalog
  type: 'artists' | 'tracks'
  range: TimeRange
}): string[] => {
  const ids = (type === 'artists' ? catalog.artists : catalog.tracks).map((x) => x.id)
  const prng = createPrng({ seed: `${catalog.seed}:top:${type}:${range}` })
  for (let i = ids.length - 1; i > 0; i--) {
    const j = prng.int(0, i)
    ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
  }
  // Spotify's top lists stop well short of everything the user ever played.
  return ids.slice(0, Math.min(ids.length, 100))
}
