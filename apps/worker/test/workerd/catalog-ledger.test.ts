/**
 * @module The catalog ledger through the real extraction and RunCoordinator: a later run fetches only
 * albums and artists never fetched (or stale), within its call budget; what does not fit waits and the
 * next run fetches it first. Development mode: one GET per id, so calls = ids.
 */
import { type PlaylistItemsPage, playlistItemsPage, type RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import { drainExtract, fakeAdmin, manifestOf, releaseGlobal, testEnv, wipe } from './support/helpers.ts'
import { getEnvelope, listKeys } from './support/s3-readback.ts'

const spotify = inject('spotify')
const fake = fakeAdmin('development')
const { owned } = spotify.development.playlists
const started: RunId[] = []

beforeEach(async () => {
  await fake.reset()
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

/** One run over the owned playlists; returns its id and the album and artist ids it asked Spotify for. */
async function runOnce(vars: Record<string, unknown> = {}, { force = true } = {}) {
  // Not a reset: that would also undo a mutation of the fake's catalog.
  const earlier = (await fake.requests()).length
  const t = testEnv({ SPOTIFY_API_MODE: 'development', ...vars })
  const result = await startRun({
    env: t.env,
    sources: { playlists: owned, myPlaylists: false },
    trigger: 'cron',
    force,
  })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  await drainExtract(t)
  await releaseGlobal([result.runId])
  const requests = (await fake.requests()).slice(earlier)
  const fetched = (kind: string) =>
    requests
      .filter((r) => new RegExp(`^/v1/${kind}/[^/]+$`).test(r.path))
      .map((r) => r.path.split('/')[3] as string)
  return { runId: result.runId, albums: fetched('albums'), artists: fetched('artists') }
}

/** Album and artist ids the run's playlist pages refer to (read back from its raw objects). */
async function referenced(runId: RunId) {
  const albums = new Set<string>()
  const artists = new Set<string>()
  for (const key of await listKeys(`raw/playlists/dt=`)) {
    if (!key.includes(`/${runId}/`)) continue
    for (const response of (await getEnvelope(key)).responses) {
      if (response.status !== 200) continue
      const body = JSON.parse(response.body)
      const page = (
        response.endpoint.endsWith('/items') ? body : playlistItemsPage(body)
      ) as PlaylistItemsPage | null
      for (const entry of page?.items ?? []) {
        const c = (entry.item ?? entry.track) as {
          type?: string
          is_local?: boolean
          album?: { id?: string | null; artists?: { id?: string | null }[] }
          artists?: { id?: string | null }[]
        } | null
        if (c?.type !== 'track' || c.is_local) continue
        if (c.album?.id) albums.add(c.album.id)
        for (const a of [...(c.artists ?? []), ...(c.album?.artists ?? [])]) if (a.id) artists.add(a.id)
      }
    }
  }
  return { albums, artists }
}

const sorted = (ids: Iterable<string>) => [...ids].sort()

describe('the catalog ledger across runs', () => {
  it('fetches nothing again on an unchanged catalog, exactly the new ids after a change, and counts them in the manifest', async () => {
    const first = await runOnce({ CATALOG_CALL_BUDGET: 100_000 })
    const before = await referenced(first.runId)
    // Whatever earlier tests of this file fetched is in the ledger already: this run fetched the rest.
    expect(first.albums.length).toBeLessThanOrEqual(before.albums.size)

    // Forced: every playlist's items are read again, and every album and artist is referenced again.
    const second = await runOnce({ CATALOG_CALL_BUDGET: 100_000 })
    expect(second.albums).toEqual([])
    expect(second.artists).toEqual([])
    const manifest = await manifestOf(second.runId)
    expect(manifest?.catalog).toMatchObject({
      callBudget: 100_000,
      calls: 0,
      refreshDays: 30,
      kinds: {
        albums: { planned: 0, fresh: before.albums.size, waiting: 0 },
        artists: { planned: 0, fresh: before.artists.size, waiting: 0 },
      },
    })
    expect(Object.keys(manifest?.units ?? {}).filter((k) => /^(albums|artists):/.test(k))).toEqual([])

    // The catalog changes: new releases join a playlist. Only albums and artists never seen are fetched.
    await fake.release(owned[1] as string, { albums: 3 })
    const third = await runOnce({ CATALOG_CALL_BUDGET: 100_000 }, { force: false })
    const after = await referenced(third.runId)
    const newAlbums = sorted([...after.albums].filter((id) => !before.albums.has(id)))
    const newArtists = sorted([...after.artists].filter((id) => !before.artists.has(id)))
    expect(newAlbums).toHaveLength(3)
    expect(newArtists).toHaveLength(3)
    expect(sorted(third.albums)).toEqual(newAlbums)
    expect(sorted(third.artists)).toEqual(newArtists)
  })

  it('leaves what exceeds the call budget waiting, and the next run fetches it first', async () => {
    // A refresh age of about a second: every id of the catalog is due again for this test.
    const stale = { CATALOG_REFRESH_DAYS: 1 / 86_400 }
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const first = await runOnce({ ...stale, CATALOG_CALL_BUDGET: 7 })
    const need = await referenced(first.runId)
    expect(first.albums.length + first.artists.length).toBe(7)
    const m1 = await manifestOf(first.runId)
    const waiting1 = (m1?.catalog?.kinds.albums?.waiting ?? 0) + (m1?.catalog?.kinds.artists?.waiting ?? 0)
    expect(waiting1).toBe(need.albums.size + need.artists.size - 7)
    expect(m1?.catalog?.calls).toBe(7)

    // The next run (the refresh age back to 30 days): its budget goes to the waiting ids first.
    const second = await runOnce({ CATALOG_CALL_BUDGET: 5 })
    const fetchedFirst = new Set([...first.albums, ...first.artists])
    const fetchedSecond = [...second.albums, ...second.artists]
    expect(fetchedSecond).toHaveLength(5)
    for (const id of fetchedSecond) expect(fetchedFirst.has(id)).toBe(false)

    // A big enough budget fetches the rest, once, and nothing else.
    const third = await runOnce({ CATALOG_CALL_BUDGET: 100_000 })
    const all = [...first.albums, ...second.albums, ...third.albums]
    expect(sorted(all)).toEqual(sorted(need.albums))
    expect(sorted([...first.artists, ...second.artists, ...third.artists])).toEqual(sorted(need.artists))
    expect((await manifestOf(third.runId))?.catalog?.kinds.albums?.waiting).toBe(0)
  })
})
