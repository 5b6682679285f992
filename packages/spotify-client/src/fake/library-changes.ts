/**
 * @module The fake's library over simulated time: saves and removals of tracks, albums, shows and
 * episodes at the fake's clock, picked with a PRNG seeded by the catalog, the time and the counts, so
 * a test's changes are reproducible. Saves take the clock's second as `added_at` (one request's saves
 * share it, as on Spotify) and go first: `GET /me/tracks` (and albums, shows, episodes) list newest
 * `added_at` first.
 */
import { isoSeconds } from './catalog-library.ts'
import type { FakeCatalog } from './catalog-types.ts'
import { createPrng, type Prng } from './prng.ts'

/** How many of each kind to save and to remove now (each 0..1000, default 0). */
export interface LibraryChange {
  saveTracks?: number
  saveAlbums?: number
  saveShows?: number
  saveEpisodes?: number
  removeTracks?: number
  removeAlbums?: number
  removeShows?: number
  removeEpisodes?: number
}

/** What a change did: the ids saved (with their `added_at`) and removed, per kind. */
export interface LibraryChangeResult {
  addedAt: string
  savedTracks: string[]
  savedAlbums: string[]
  savedShows: string[]
  savedEpisodes: string[]
  removedTracks: string[]
  removedAlbums: string[]
  removedShows: string[]
  removedEpisodes: string[]
}

type Saved = { id: string; addedAt: string }

/** Each kind: its name in a change, the catalog's ids and the library's list (read and written as `{ id, addedAt }`). */
const KINDS = [
  {
    name: 'Tracks',
    pool: (c: FakeCatalog) => c.tracks.map((t) => t.id),
    get: (c: FakeCatalog): Saved[] =>
      c.library.savedTracks.map((s) => ({ id: s.trackId, addedAt: s.addedAt })),
    set: (c: FakeCatalog, list: Saved[]) => {
      c.library.savedTracks = list.map((s) => ({ trackId: s.id, addedAt: s.addedAt }))
    },
  },
  {
    name: 'Albums',
    pool: (c: FakeCatalog) => c.albums.map((a) => a.id),
    get: (c: FakeCatalog): Saved[] =>
      c.library.savedAlbums.map((s) => ({ id: s.albumId, addedAt: s.addedAt })),
    set: (c: FakeCatalog, list: Saved[]) => {
      c.library.savedAlbums = list.map((s) => ({ albumId: s.id, addedAt: s.addedAt }))
    },
  },
  {
    name: 'Shows',
    pool: (c: FakeCatalog) => c.shows.map((s) => s.id),
    get: (c: FakeCatalog): Saved[] => c.library.savedShows.map((s) => ({ id: s.showId, addedAt: s.addedAt })),
    set: (c: FakeCatalog, list: Saved[]) => {
      c.library.savedShows = list.map((s) => ({ showId: s.id, addedAt: s.addedAt }))
    },
  },
  {
    name: 'Episodes',
    pool: (c: FakeCatalog) => c.episodes.map((e) => e.id),
    get: (c: FakeCatalog): Saved[] =>
      c.library.savedEpisodes.map((s) => ({ id: s.episodeId, addedAt: s.addedAt })),
    set: (c: FakeCatalog, list: Saved[]) => {
      c.library.savedEpisodes = list.map((s) => ({ episodeId: s.id, addedAt: s.addedAt }))
    },
  },
] as const

function count(name: string, value: number | undefined): number {
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
 * @throws on a count outside 0..1000, or more saves than unsaved items (or removals than saved ones),
 *   before anything changed
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
  const want = KINDS.map((kind) => ({
    kind,
    save: count(`save${kind.name}`, change[`save${kind.name}`]),
    remove: count(`remove${kind.name}`, change[`remove${kind.name}`]),
  }))
  for (const { kind, save, remove } of want) {
    const saved = new Set(kind.get(catalog).map((s) => s.id))
    if (save > kind.pool(catalog).filter((id) => !saved.has(id)).length)
      throw new Error(`library change: more saves than unsaved ${kind.name.toLowerCase()}`)
    if (remove > saved.size)
      throw new Error(`library change: more removals than saved ${kind.name.toLowerCase()}`)
  }
  const prng = createPrng({ seed: `${catalog.seed}:library-change:${now}:${JSON.stringify(change)}` })
  const addedAt = isoSeconds(now)
  const result = { addedAt } as LibraryChangeResult
  for (const { kind, save, remove } of want) {
    const list = kind.get(catalog)
    const savedIds = new Set(list.map((s) => s.id))
    const removed = pickDistinct(
      prng,
      list.map((s) => s.id),
      remove,
    )
    const added = pickDistinct(
      prng,
      kind.pool(catalog).filter((id) => !savedIds.has(id)),
      save,
    )
    const next = [...added.map((id) => ({ id, addedAt })), ...list.filter((s) => !removed.includes(s.id))]
    kind.set(
      catalog,
      next.sort((a, b) => Date.parse(b.addedAt) - Date.parse(a.addedAt)),
    )
    result[`saved${kind.name}`] = added
    result[`removed${kind.name}`] = removed
  }
  return result
}
