/** @module E2e, extended-quota mode: one run over every visible playlist, the batch endpoints, the old payload names. */
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
import { expectedLake } from './support/expected.ts'
import { openLake } from './support/lake.ts'
import { type E2eStack, expectTokenBudget, runToEnd, startE2eStack } from './support/stack.ts'

const MODE = 'extended'
const DT = '2026-04-01'

describe('extended mode through the local stack', () => {
  let lake: E2eStack
  let db: LakeDb | undefined

  beforeAll(async () => {
    // Pools large enough that no playlist covers them: album and artist batches must fill across playlists.
    lake = await startE2eStack({
      mode: MODE,
      seed: 11,
      playlists: 4,
      items: 120,
      catalog: { tracks: 900, albums: 300, artists: 160 },
    })
  })
  afterAll(async () => {
    db?.close()
    await lake?.close()
  })

  it('a run reads every visible playlist, editorial included, and writes every table as the catalog says', async () => {
    const expected = expectedLake(lake.fake.catalog, MODE)
    // Extended quota reads someone else's and Spotify's editorial playlists too: all of them.
    expect(expected.playlists).toHaveLength(lake.fake.catalog.playlists.length)
    const run = await runToEnd(lake, { dt: DT })
    const rows = expectedRows(expected)
    expectReconciled(run.manifest, rows)
    expect(run.manifest.apiMode).toBe(MODE)
    await expectRunObjects(lake.store, run.manifest)

    // Extended apps page the legacy /tracks endpoint and fetch albums/artists with Get Several.
    expect(run.requests.some((r) => /^\/v1\/playlists\/[^/]+\/items$/.test(r.path))).toBe(false)
    const batches = run.requests.filter((r) => r.path === '/v1/albums' || r.path === '/v1/artists')
    expect(batches.length).toBeGreaterThan(0)
    expect(run.requests.filter((r) => /^\/v1\/(albums|artists)\/[^/]+$/.test(r.path))).toEqual([])
    // Every endpoint called exactly as often as the mode's page and batch sizes allow at the least.
    expect(run.manifest.api.byEndpoint).toEqual(minimumCalls(lake.fake.catalog, MODE))
    expectTokenBudget(run, { accounts: 1 })

    db = await openLake(lake)
    await expectTables(db, DT, rows)
    await expectIds(db, DT, expected)
    await expectSizes(db, [{ dt: DT, sizes: sizesOf(expected) }])
    await expectInsights(db, lake.fake.catalog, MODE)
  })
})
