/**
 * @module E2e, development mode (one GET per catalog id): the catalog ledger across runs on the local
 * stack. A call budget smaller than the first run's need leaves the rest waiting, the next run fetches
 * them; a forced rerun on an unchanged catalog fetches no album or artist; after new releases join a
 * playlist, a run fetches exactly the new ones. The lake's current_albums keep what only full fetches give.
 */
import type { FakeCatalog } from '@spotify-lake/spotify-client/fake'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plannedPlaylists } from '../../bench/minimum-calls.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { type E2eStack, type RunResult, runToEnd, startE2eStack } from './support/stack.ts'

const MODE = 'development'
const BUDGET = 20
const DT = ['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04'] as const

/** Album and artist ids the readable playlists refer to (a track's artists and its album's). */
function referenced(catalog: FakeCatalog) {
  const albums = new Set<string>()
  const artists = new Set<string>()
  for (const p of plannedPlaylists(catalog, MODE)) {
    for (const entry of p.entries) {
      if (entry.kind !== 'track') continue
      const track = catalog.trackById.get(entry.trackId)
      if (!track) continue
      albums.add(track.albumId)
      for (const a of track.artistIds) artists.add(a)
      for (const a of catalog.albumById.get(track.albumId)?.artistIds ?? []) artists.add(a)
    }
  }
  return { albums, artists }
}

/** The album and artist ids a run asked Spotify for (single GETs). */
function fetched(run: RunResult) {
  const ids = (kind: string) =>
    run.requests
      .filter((r) => new RegExp(`^/v1/${kind}/[^/]+$`).test(r.path))
      .map((r) => r.path.split('/')[3] ?? '')
  return { albums: ids('albums'), artists: ids('artists') }
}

const sum = (run: RunResult, pick: 'planned' | 'fresh' | 'waiting') =>
  Object.values(run.manifest.catalog?.kinds ?? {}).reduce((n, k) => n + k[pick], 0)

describe('the catalog ledger through the local stack', () => {
  let lake: E2eStack
  let db: LakeDb | undefined

  beforeAll(async () => {
    lake = await startE2eStack({
      mode: MODE,
      seed: 11,
      playlists: 4,
      items: 30,
      workerVars: { CATALOG_CALL_BUDGET: BUDGET },
    })
  })
  afterAll(async () => {
    db?.close()
    await lake?.close()
  })

  const need = () => referenced(lake.fake.catalog)
  const seen = new Set<string>()

  it('a budget smaller than the need fetches that many ids; the rest waits for the next run', async () => {
    const { albums, artists } = need()
    expect(albums.size + artists.size).toBeGreaterThan(BUDGET)
    const run = await runToEnd(lake, { dt: DT[0] })
    expect(run.manifest.status).toBe('succeeded')
    const got = fetched(run)
    expect(got.albums.length + got.artists.length).toBe(BUDGET)
    for (const id of [...got.albums, ...got.artists]) seen.add(id)
    expect(run.manifest.catalog).toMatchObject({ callBudget: BUDGET, calls: BUDGET, refreshDays: 30 })
    expect(sum(run, 'planned')).toBe(BUDGET)
    expect(sum(run, 'waiting')).toBe(albums.size + artists.size - BUDGET)

    // The next run (nothing changed: no playlist is read again) fetches what waited, and only that.
    const next = await runToEnd(lake, { dt: DT[1] })
    expect(next.manifest.status).toBe('succeeded')
    const rest = fetched(next)
    expect(rest.albums.length + rest.artists.length).toBe(albums.size + artists.size - BUDGET)
    for (const id of [...rest.albums, ...rest.artists]) {
      expect(seen.has(id), `${id} fetched twice`).toBe(false)
      seen.add(id)
    }
    expect([...got.albums, ...rest.albums].sort()).toEqual([...albums].sort())
    expect([...got.artists, ...rest.artists].sort()).toEqual([...artists].sort())
    expect(sum(next, 'waiting')).toBe(0)
  })

  it('a second run on an unchanged catalog fetches no album or artist, and the lake keeps the full fetches', async () => {
    const { albums, artists } = need()
    // Forced: every playlist's items are read again and refer to every album and artist again.
    const run = await runToEnd(lake, { dt: DT[2], force: true })
    expect(run.manifest.status).toBe('succeeded')
    expect(fetched(run)).toEqual({ albums: [], artists: [] })
    expect(run.manifest.catalog?.kinds).toEqual({
      albums: { planned: 0, fresh: albums.size, waiting: 0 },
      artists: { planned: 0, fresh: artists.size, waiting: 0 },
    })
    // This dt's albums are the simplified copies in the items (no upc); the current view keeps the full one's.
    db = await openLake(lake)
    const simplified = await queryObjects(
      db,
      `SELECT count(*) AS n FROM albums WHERE dt = '${DT[2]}' AND upc IS NULL`,
    )
    expect(Number(simplified[0]?.n)).toBe(albums.size)
    const current = await queryObjects(db, 'SELECT album_id, upc FROM current_albums ORDER BY album_id')
    expect(current.map((r) => r.album_id)).toEqual([...albums].sort())
    for (const row of current) expect(row.upc, `upc of ${row.album_id}`).toMatch(/^6\d{11}$/)
  })

  it('after new releases join a playlist, a run fetches exactly the new albums and artists', async () => {
    const before = need()
    const playlist = plannedPlaylists(lake.fake.catalog, MODE)[0]
    if (!playlist) throw new Error('no readable playlist')
    lake.fake.releaseAlbums(playlist.id, { albums: 3 })
    const after = need()
    const newAlbums = [...after.albums].filter((id) => !before.albums.has(id)).sort()
    const newArtists = [...after.artists].filter((id) => !before.artists.has(id)).sort()
    expect(newAlbums).toHaveLength(3)
    const run = await runToEnd(lake, { dt: DT[3] })
    expect(run.manifest.status).toBe('succeeded')
    const got = fetched(run)
    expect(got.albums.sort()).toEqual(newAlbums)
    expect(got.artists.sort()).toEqual(newArtists)
    expect(sum(run, 'planned')).toBe(6)
  })
})
