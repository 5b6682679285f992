/**
 * @module The saved-library sources in workerd against the fake Spotify and the local S3: a first (full)
 * listing of every page, one call when nothing changed, only the new pages after saves, a full listing
 * when the library's total shows a removal, the holdings in the lake's state and the removals recorded
 * in the raw object's unit.
 */
import { RawEnvelopeSchema, type RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import type { SavedLibraryState } from '../../src/sources/saved-library/state.ts'
import {
  drainExtract,
  fakeAdmin,
  lake,
  manifestOf,
  releaseGlobal,
  seedAccounts,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope } from './support/s3-readback.ts'

const spotify = inject('spotify')
const started: RunId[] = []

beforeEach(async () => {
  await seedAccounts(testEnv())
  await fakeAdmin('development').reset()
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

// Development mode here (the extended shapes go through the e2e tests' stack).
describe('saved library', () => {
  const mode = 'development'
  const { accountId } = spotify[mode].user
  const admin = fakeAdmin(mode)
  const state = async (kind: 'tracks' | 'albums') =>
    lake().getJson<SavedLibraryState>(`state/saved-${kind}-${accountId}.json`)

  /** One daily run of the saved library: its units' manifest entries, recorded units and Spotify calls. */
  async function check(t: TestEnv, { force = false } = {}) {
    const before = (await admin.requests()).length
    const result = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: false, savedTracks: true, savedAlbums: true },
      trigger: 'cron',
      force,
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    for (const batch of await drainExtract(t)) expect(batch.retryMessages).toEqual([])
    const manifest = await manifestOf(result.runId)
    await releaseGlobal([result.runId])
    const calls = (await admin.requests()).slice(before)
    const unitOf = async (kind: 'tracks' | 'albums') => {
      const entry = manifest?.units[`saved-${kind}:${accountId}`]
      const envelope = RawEnvelopeSchema.parse(await getEnvelope(entry!.rawKeys[0]!))
      return { entry, recorded: envelope.unit as Record<string, unknown>, envelope }
    }
    return {
      manifest,
      tracks: await unitOf('tracks'),
      albums: await unitOf('albums'),
      // Answered calls: a day on the fake's clock expires the access token, and its 401 is retried once.
      calls: (path: string) => calls.filter((c) => c.path === path && c.status === 200).map((c) => c.query),
    }
  }

  it('lists all first, then one call when unchanged, the new pages after saves, all again after a removal', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: mode })
    const library = await admin.library()

    // First check: nothing held, so a full listing.
    const first = await check(t)
    expect(first.calls('/v1/me/tracks'), 'first tracks').toEqual([{ limit: '50', offset: '0' }])
    expect(first.tracks.recorded).toMatchObject({ type: 'saved-tracks', listing: 'full', after: null })
    expect(first.tracks.entry).toMatchObject({ status: 'extracted', itemsSeen: library.tracks.length })
    expect((await state('tracks'))?.held).toEqual(
      Object.fromEntries(library.tracks.map((s) => [s.id, s.added_at])),
    )
    expect(first.albums.entry).toMatchObject({ status: 'extracted', itemsSeen: library.albums.length })
    // What the saved tracks refer to is fetched for the catalog tables, as for playlist tracks.
    const units = Object.keys(first.manifest!.units)
    expect(units.some((k) => k.startsWith('albums:'))).toBe(true)
    expect(units.some((k) => k.startsWith('artists:'))).toBe(true)

    // Unchanged: exactly one call per kind, nothing new.
    const idle = await check(t)
    expect(idle.calls('/v1/me/tracks'), 'idle tracks').toEqual([{ limit: '50', offset: '0' }])
    expect(idle.calls('/v1/me/albums'), 'idle albums').toEqual([{ limit: '50', offset: '0' }])
    expect(idle.tracks.recorded).toMatchObject({ listing: 'incremental', after: library.tracks[0]!.added_at })
    expect(idle.tracks.entry?.itemsSeen).toBe(0)
    expect(idle.tracks.recorded.removed).toBeUndefined()

    // 45 saves (one request: one added_at): the first page holds them all and reaches a held track.
    await admin.advanceClock(86_400_000)
    const saved = await admin.changeLibrary({ saveTracks: 45 })
    const grown = await check(t)
    expect(grown.calls('/v1/me/tracks'), 'grown tracks').toEqual([{ limit: '50', offset: '0' }])
    expect(grown.tracks.entry?.itemsSeen).toBe(45)
    const held = (await state('tracks'))!.held
    expect(Object.keys(held)).toHaveLength(library.tracks.length + 45)
    for (const id of saved.savedTracks) expect(held[id]).toBe(saved.addedAt)

    // Two removals: the total falls short of what the lake holds, so the same check lists every page.
    await admin.advanceClock(86_400_000)
    const gone = await admin.changeLibrary({ removeTracks: 2 })
    const shrunk = await check(t)
    expect(shrunk.calls('/v1/me/tracks'), 'shrunk tracks').toEqual([
      { limit: '50', offset: '0' },
      { limit: '50', offset: '50' },
    ])
    expect(shrunk.tracks.recorded.listing).toBe('full')
    const removed = shrunk.tracks.recorded.removed as { id: string; added_at: string; removed_at: string }[]
    expect(removed.map((r) => r.id).sort()).toEqual([...gone.removedTracks].sort())
    for (const r of removed) {
      expect(r.added_at).toBe(held[r.id])
      expect(Date.parse(r.removed_at)).toBeGreaterThanOrEqual(Date.parse(r.added_at))
    }
    expect(shrunk.tracks.entry?.itemsSeen).toBe(2)
    const after = (await state('tracks'))!.held
    expect(Object.keys(after)).toHaveLength(library.tracks.length + 43)
    for (const id of gone.removedTracks) expect(after[id]).toBeUndefined()
    // The albums did not change: still one call.
    expect(shrunk.calls('/v1/me/albums'), 'shrunk albums').toEqual([{ limit: '50', offset: '0' }])
  })

  it('a forced run lists everything, and the state keeps the time of that full listing', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: mode })
    await check(t)
    const firstFull = (await state('albums'))!.lastFullAt
    await check(t)
    expect((await state('albums'))!.lastFullAt).toBe(firstFull)
    await admin.changeLibrary({ saveTracks: 60 })
    const forced = await check(t, { force: true })
    expect(forced.tracks.recorded.listing).toBe('full')
    expect(forced.calls('/v1/me/tracks').map((q) => q.offset)).toEqual(['0', '50'])
    expect(forced.tracks.entry?.itemsSeen).toBe(60)
    expect(Date.parse((await state('albums'))!.lastFullAt)).toBeGreaterThan(Date.parse(firstFull))
  })
})
