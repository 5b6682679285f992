/** @module Playlist entries: seeded generation of a playlist's items per version, and in-place mutation. */
import type { FakeCatalog, FakeEpisode, FakePlaylist, FakePlaylistEntry, FakeTrack } from './catalog-types.ts'
import { createPrng, type Prng, snapshotId } from './prng.ts'

export const MAX_PLAYLIST_ITEMS = 10_000
export const WORDS = [
  'Blue',
  'Night',
  'River',
  'Glass',
  'Echo',
  'Paper',
  'Golden',
  'Static',
  'Velvet',
  'North',
]

const BASE_TIME = Date.UTC(2019, 0, 1)

export const title = (prng: Prng, words: number): string =>
  Array.from({ length: words }, () => prng.pick(WORDS)).join(' ')

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export const checkCount = (name: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`createFakeSpotify: ${name} must be an integer from ${min} to ${max}, got ${value}`)
  }
  return value
}

export interface EntryContext {
  seed: string
  tracks: FakeTrack[]
  episodes: FakeEpisode[]
}

/** Regenerates a playlist's entries for a version: same (seed, playlist, version, size) gives the same entries. */
export const generateEntries = ({
  context,
  playlist,
  size,
}: {
  context: EntryContext
  playlist: Pick<FakePlaylist, 'id' | 'ownerId' | 'collaborators' | 'editorial' | 'version'>
  size: number
}): FakePlaylistEntry[] => {
  checkCount('playlist size', size, 0, MAX_PLAYLIST_ITEMS)
  const prng = createPrng({ seed: `${context.seed}:entries:${playlist.id}:${playlist.version}` })
  const adders = [playlist.ownerId, ...playlist.collaborators]
  const pickTrack = (): string => prng.pick(context.tracks).id
  const entries: FakePlaylistEntry[] = []
  for (let k = 0; k < size; k++) {
    const base = {
      addedAt: isoSeconds(BASE_TIME + k * 3_600_000 + prng.int(0, 3_599) * 1000),
      addedBy: adders[k % adders.length] ?? playlist.ownerId,
    }
    // Every quirk appears at fixed positions in playlists of 8+ items, so small test catalogs always have them.
    const forced = playlist.editorial || size < 8 ? undefined : k
    const first = entries[0]
    if (forced === 1 && first?.kind === 'track') {
      entries.push({ ...base, kind: 'track', trackId: first.trackId })
    } else if (forced === 3) {
      entries.push({ ...base, kind: 'removed' })
    } else if (forced === 5) {
      entries.push({ ...base, kind: 'local', local: localFile(prng) })
    } else if (forced === 7 && context.episodes.length > 0) {
      entries.push({ ...base, kind: 'episode', episodeId: prng.pick(context.episodes).id })
    } else {
      const r = prng.next()
      if (playlist.editorial || forced === 0 || r >= 0.05)
        entries.push({ ...base, kind: 'track', trackId: pickTrack() })
      else if (r < 0.01) entries.push({ ...base, kind: 'removed' })
      else if (r < 0.02) entries.push({ ...base, kind: 'local', local: localFile(prng) })
      else if (context.episodes.length > 0) {
        entries.push({ ...base, kind: 'episode', episodeId: prng.pick(context.episodes).id })
      } else entries.push({ ...base, kind: 'track', trackId: pickTrack() })
    }
  }
  return entries
}

const localFile = (prng: Prng) => ({
  title: title(prng, 2),
  artist: `Local ${prng.pick(WORDS)}`,
  album: title(prng, 1),
  durationMs: prng.int(60, 420) * 1000,
})

/**
 * Like Spotify's, a snapshot id changes whenever the playlist does: it covers the version (metadata
 * edits) and the entries themselves, so the same seed with other catalog sizes never reuses one.
 */
export const playlistSnapshotId = ({
  seed,
  id,
  version,
  entries,
}: {
  seed: string
  id: string
  version: number
  entries: readonly FakePlaylistEntry[]
}) => snapshotId(`${seed}:${id}:${version}:${entries.map(entryFingerprint).join(',')}`)

const entryFingerprint = (entry: FakePlaylistEntry): string => {
  switch (entry.kind) {
    case 'track':
      return `t${entry.trackId}@${entry.addedAt}`
    case 'episode':
      return `e${entry.episodeId}@${entry.addedAt}`
    case 'local':
      return `l${entry.local.title}@${entry.addedAt}`
    case 'removed':
      return `r@${entry.addedAt}`
  }
}

/** Changes a playlist in place: new version and snapshot id; new items unless only metadata changed. */
export const mutatePlaylist = ({
  catalog,
  id,
  size,
  metadataOnly = false,
}: {
  catalog: FakeCatalog
  id: string
  size?: number
  metadataOnly?: boolean
}): FakePlaylist => {
  const playlist = catalog.playlistById.get(id)
  if (!playlist) throw new Error(`mutatePlaylist: unknown playlist ${id}`)
  playlist.version += 1
  if (metadataOnly) {
    playlist.description = `${playlist.description.replace(/ \(edit \d+\)$/, '')} (edit ${playlist.version})`
  } else {
    const context = { seed: catalog.seed, tracks: catalog.tracks, episodes: catalog.episodes }
    playlist.entries = generateEntries({ context, playlist, size: size ?? playlist.entries.length })
  }
  playlist.snapshotId = playlistSnapshotId({
    seed: catalog.seed,
    id,
    version: playlist.version,
    entries: playlist.entries,
  })
  return playlist
}
