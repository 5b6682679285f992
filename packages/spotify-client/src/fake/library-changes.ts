/**
 * @module The fake's library over simulated time: saves and removals of tracks and albums at the fake's
 * clock, picked with a PRNG seeded by the catalog, the time and the counts, so a test's changes are
 * reproducible. Saves take the clock's second as `added_at` (one request's saves share it, as on
 * Spotify) and go first: `GET /me/tracks` and `/me/albums` list newest `added_at` first.
 */
import { isoSeconds } from './catalog-library.ts'
import type { FakeCatalog, FakeLibrary } from './catalog-types.ts'
import { createPrng, type Prng } from './prng.ts'

/** How many tracks and albums to save and to remove now (each 0..1000, default 0). */
export interface LibraryChange {
  saveTracks?: number
  saveAlbums?: number
  removeTracks?: number
  removeAlbums?: number
}

/** What a change did: the ids saved (with their `added_at`) and removed. */
export interface LibraryChangeResult {
  addedAt: string
  savedTracks: string[]
  savedAlbums: string[]
  removedTracks: string[]
  removedAlbums: string[]
}

function count(name: keyof LibraryChange, value: number | undefined): number {
  const n = value ?? 0
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw new Error(`library change: ${name} must be an integer in 0..1000, got ${value}`)
  return n
}

/** `n` distinct entries of `list`, in the PRNG's order. */
function pickDistinct<T>(prng: Prng, list: readonly T[], n: number): T[] {
  const pool = [...list]
  const picked: T[] = []
  while (picked.length < n && pool.length > 0)
    picked.push(pool.splice(prng.int(0, pool.length - 1), 1)[0] as T)
  return picked
}

/**
 * Applies `change` to the library at `now`.
 * @throws on a count outside 0..1000, or more saves than unsaved items (or removals than saved ones).
 */
export function changeLibrary({
  catalog,
  change,
  now,
}: {
  catalog: FakeCatalog
  change: LibraryChange
  now: number
}): LibraryChangeResult {
  const want = {
    saveTracks: count('saveTracks', change.saveTracks),
    saveAlbums: count('saveAlbums', change.saveAlbums),
    removeTracks: count('removeTracks', change.removeTracks),
    removeAlbums: count('removeAlbums', change.removeAlbums),
  }
  const library: FakeLibrary = catalog.library
  const prng = createPrng({ seed: `${catalog.seed}:library-change:${now}:${JSON.stringify(want)}` })
  const addedAt = isoSeconds(now)

  const savedTrackIds = new Set(library.savedTracks.map((s) => s.trackId))
  const unsavedTracks = catalog.tracks.filter((t) => !savedTrackIds.has(t.id)).map((t) => t.id)
  const savedAlbumIds = new Set(library.savedAlbums.map((s) => s.albumId))
  const unsavedAlbums = catalog.albums.filter((a) => !savedAlbumIds.has(a.id)).map((a) => a.id)
  if (want.saveTracks > unsavedTracks.length || want.saveAlbums > unsavedAlbums.length)
    throw new Error('library change: more saves than unsaved tracks or albums')
  if (want.removeTracks > savedTrackIds.size || want.removeAlbums > savedAlbumIds.size)
    throw new Error('library change: more removals than saved tracks or albums')

  const removedTracks = pickDistinct(prng, [...savedTrackIds], want.removeTracks)
  const removedAlbums = pickDistinct(prng, [...savedAlbumIds], want.removeAlbums)
  const savedTracks = pickDistinct(prng, unsavedTracks, want.saveTracks)
  const savedAlbums = pickDistinct(prng, unsavedAlbums, want.saveAlbums)
  const byNewest = <T extends { addedAt: string }>(list: T[]) =>
    list.sort((a, b) => Date.parse(b.addedAt) - Date.parse(a.addedAt))
  library.savedTracks = byNewest([
    ...savedTracks.map((trackId) => ({ trackId, addedAt })),
    ...library.savedTracks.filter((s) => !removedTracks.includes(s.trackId)),
  ])
  library.savedAlbums = byNewest([
    ...savedAlbums.map((albumId) => ({ albumId, addedAt })),
    ...library.savedAlbums.filter((s) => !removedAlbums.includes(s.albumId)),
  ])
  return { addedAt, savedTracks, savedAlbums, removedTracks, removedAlbums }
}
