/** @module E2e, development mode: a first run, an unchanged rerun on a new dt, then one changed playlist. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { minimumCalls } from '../../bench/minimum-calls.ts'
import type { LakeDb } from '../../src/query/index.ts'
import {
  expectedRows,
  expectIds,
  expectInsights,
  expectReconciled,
  expectRunObjects,
  expectSizes,
  expectTables,
  sizesOf,
} from './support/assert-run.ts'
import { type ExpectedLake, expectedLake, readablePlaylists } from './support/expected.ts'
import { openLake } from './support/lake.ts'
import {
  type E2eStack,
  expectTokenBudget,
  type RunResult,
  runToEnd,
  startE2eStack,
  tokenCalls,
} from './support/stack.ts'

const MODE = 'development'
const DT = ['2026-03-01', '2026-03-02', '2026-03-03'] as const

/** Requests to one playlist's endpoints: the metadata/snapshot check, full gets, and item pages. */
function playlistCalls(run: RunResult, id: string) {
  const own = run.requests.filter((r) => r.path === `/v1/playlists/${id}`)
  return {
    checks: own.filter((r) => r.query.fields !== undefined).length,
    full: own.filter((r) => r.query.fields === undefined).length,
    pages: run.requests.filter((r) => r.path.startsWith(`/v1/playlists/${id}/`)).length,
  }
}

describe('development mode through the local stack', () => {
  let lake: E2eStack
  const dbs: LakeDb[] = []
  const open = async () => {
    const db = await openLake(lake)
    dbs.push(db)
    return db
  }

  beforeAll(async () => {
    // 4 playlists cover owned public, owned private, someone else's and collaborative; plus the editorial one.
    lake = await startE2eStack({ mode: MODE, seed: 7, playlists: 4, items: 30 })
  })
  afterAll(async () => {
    for (const db of dbs) db.close()
    await lake?.close()
  })

  let first: ExpectedLake

  it('a first run writes every table as the catalog says', async () => {
    const expected = expectedLake(lake.fake.catalog, MODE)
    first = expected
    const run = await runToEnd(lake, { dt: DT[0] })
    const rows = expectedRows(expected)
    expectReconciled(run.manifest, rows)
    expect(run.manifest.apiMode).toBe(MODE)
    expect(run.manifest.api.byEndpoint).toEqual(minimumCalls(lake.fake.catalog, MODE))
    // The token broker (rotation on: the session's refresh token is PKCE-issued): one refresh, one app token.
    expectTokenBudget(run, { accounts: 1 })
    // The playlists the app may not read (someone else's, Spotify's editorial one) are skipped, not failed.
    const readable = new Set(readablePlaylists(lake.fake.catalog, MODE).map((p) => p.id))
    const unreadable = lake.fake.catalog.playlists.filter((p) => !readable.has(p.id))
    expect(unreadable.length).toBeGreaterThan(1)
    const skipped = Object.entries(run.manifest.units).filter(([, u]) => u.status === 'skipped')
    expect(skipped.map(([key]) => key).sort()).toEqual(unreadable.map((p) => `playlist:${p.id}:0`).sort())
    for (const p of unreadable) {
      expect(run.requests.filter((r) => r.path.startsWith(`/v1/playlists/${p.id}`))).toEqual([])
    }
    await expectRunObjects(lake.store, run.manifest)

    const db = await open()
    await expectTables(db, DT[0], rows)
    await expectIds(db, DT[0], expected)
    await expectSizes(db, [{ dt: DT[0], sizes: sizesOf(expected) }])
    await expectInsights(db, lake.fake.catalog, MODE)
  })

  it('a rerun on an unchanged catalog only checks snapshots, and queries span both dts', async () => {
    const expected = expectedLake(lake.fake.catalog, MODE)
    const run = await runToEnd(lake, { dt: DT[1] })
    // Tokens from the last run are still good: the token endpoint is not asked at all.
    expect(tokenCalls(run)).toEqual({})
    const rows = {
      playlists: expected.playlists.length,
      playlist_items: 0,
      tracks: 0,
      albums: 0,
      artists: 0,
      account_playlists: expected.accountPlaylists,
      plays: 0,
      top_tracks: 0,
      top_artists: 0,
      followed_artists: 0,
    }
    expectReconciled(run.manifest, rows)
    await expectRunObjects(lake.store, run.manifest)

    for (const p of expected.playlists) {
      expect(playlistCalls(run, p.id), `Spotify calls for playlist ${p.id}`).toEqual({
        checks: 1,
        full: 0,
        pages: 0,
      })
      expect(run.manifest.units[`playlist:${p.id}:0`]?.status).toBe('unchanged')
    }
    // Nothing changed, so no catalog object is fetched again.
    expect(run.requests.filter((r) => /^\/v1\/(albums|artists)\//.test(r.path))).toEqual([])

    const db = await open()
    await expectTables(db, DT[1], rows)
    await expectTables(db, DT[0], expectedRows(first))
    await expectSizes(db, [
      { dt: DT[0], sizes: sizesOf(expected) },
      { dt: DT[1], sizes: sizesOf(expected) },
    ])
    await expectInsights(db, lake.fake.catalog, MODE)
  })

  it('after one playlist changes, only that playlist is fetched again', async () => {
    const before = expectedLake(lake.fake.catalog, MODE)
    const oldSizes = sizesOf(before)
    const changed = before.playlists[0]!
    lake.fake.mutatePlaylist(changed.id, { size: changed.entries.length + 6 })
    const after = expectedLake(lake.fake.catalog, MODE)
    const mutated = after.playlists.find((p) => p.id === changed.id)!
    const onlyChanged = expectedLake({ ...lake.fake.catalog, playlists: [mutated] }, MODE)

    const run = await runToEnd(lake, { dt: DT[2] })
    const rows = {
      ...expectedRows(onlyChanged),
      playlists: after.playlists.length,
      // The listing is read every run: every listed playlist's link, not only the changed one's.
      account_playlists: after.accountPlaylists,
    }
    expectReconciled(run.manifest, rows)
    await expectRunObjects(lake.store, run.manifest)

    for (const p of after.playlists) {
      const calls = playlistCalls(run, p.id)
      if (p.id === changed.id) {
        expect(calls.checks).toBe(1)
        expect(calls.full).toBeGreaterThanOrEqual(1)
      } else {
        expect(calls, `Spotify calls for unchanged playlist ${p.id}`).toEqual({
          checks: 1,
          full: 0,
          pages: 0,
        })
      }
    }

    const db = await open()
    await expectTables(db, DT[2], rows)
    await expectSizes(db, [
      { dt: DT[0], sizes: oldSizes },
      { dt: DT[1], sizes: oldSizes },
      { dt: DT[2], sizes: sizesOf(after) },
    ])
    await expectInsights(db, lake.fake.catalog, MODE)
  })
})
