import type { CatalogKind } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { CatalogLedger } from '../src/catalog-ledger.ts'
import { RunLedger } from '../src/run-ledger.ts'
import type { CatalogPolicy, PlannedUnit } from '../src/types.ts'
import { memoryKv } from './support/memory-kv.ts'

const DAY = 86_400_000
const dt = '2026-11-21'

function clock(start: string) {
  let t = Date.parse(start)
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) }
}

const policy = (over: Partial<CatalogPolicy> = {}): CatalogPolicy => ({
  callBudget: 1000,
  refreshAfterMs: 30 * DAY,
  callsPer: 'id',
  batchSizes: { tracks: 20, albums: 20, artists: 20 },
  ...over,
})

/**
 * One run as the RunCoordinator drives it: the global ledger says which ids are due, the run's ledger
 * plans them within its budget, the ids past it go to the global waiting list, and every planned batch
 * is fetched (its raw object stored) and marked in the global ledger.
 */
function simulateRun({
  global,
  now,
  runId,
  catalog,
  found,
}: {
  global: CatalogLedger
  now: () => Date
  runId: string
  catalog: CatalogPolicy
  found: Partial<Record<CatalogKind, string[]>>
}) {
  const run = new RunLedger({ kv: memoryKv(), now })
  run.begin({ runId, dt, trigger: 'cron', force: false, catalog, waiting: global.waiting() })
  const units: PlannedUnit[] = []
  for (const [kind, ids] of Object.entries(found) as [CatalogKind, string[]][]) {
    const { due, fresh } = global.due({ kind, ids, refreshAfterMs: catalog.refreshAfterMs })
    const batchSize = catalog.batchSizes[kind]
    units.push(...run.planCatalog({ parentKey: 'playlist:p:0', kind, ids: due, fresh, batchSize }))
    global.wait({ kind, ids: run.catalogOver(kind, 'playlist:p:0') })
  }
  units.push(...run.flushCatalog('last'))
  const fetched: Record<string, string[]> = {}
  for (const { unit } of units) {
    if (unit.type !== 'albums' && unit.type !== 'artists' && unit.type !== 'tracks') continue
    global.fetched({ kind: unit.type, ids: unit.ids })
    fetched[unit.type] = [...(fetched[unit.type] ?? []), ...unit.ids]
  }
  return { fetched, manifest: run.manifest() }
}

describe('CatalogLedger', () => {
  it('says an id is due until fetched, fresh for the refresh age, due again after it', () => {
    const c = clock('2026-11-01T05:00:00Z')
    const g = new CatalogLedger({ kv: memoryKv(), now: c.now })
    const refreshAfterMs = 30 * DAY
    expect(g.due({ kind: 'albums', ids: ['a', 'b', 'a'], refreshAfterMs })).toEqual({
      due: ['a', 'b'],
      fresh: [],
    })
    g.fetched({ kind: 'albums', ids: ['a'] })
    c.advance(30 * DAY - 1)
    expect(g.due({ kind: 'albums', ids: ['a', 'b'], refreshAfterMs })).toEqual({ due: ['b'], fresh: ['a'] })
    // Kinds are apart: an artist id is not an album id.
    expect(g.due({ kind: 'artists', ids: ['a'], refreshAfterMs }).due).toEqual(['a'])
    c.advance(1)
    expect(g.due({ kind: 'albums', ids: ['a'], refreshAfterMs }).due).toEqual(['a'])
    expect(() => g.due({ kind: 'albums', ids: [], refreshAfterMs: 0 })).toThrow(RangeError)
  })

  it('keeps waiting ids until they are fetched', () => {
    const g = new CatalogLedger({ kv: memoryKv() })
    g.wait({ kind: 'artists', ids: ['z', 'y'] })
    g.wait({ kind: 'artists', ids: ['y'] })
    expect(g.waiting()).toEqual({ tracks: [], albums: [], artists: ['y', 'z'] })
    g.fetched({ kind: 'artists', ids: ['y'] })
    expect(g.waiting().artists).toEqual(['z'])
    expect(g.fetchedAt('artists', 'y')).not.toBeNull()
    expect(g.fetchedAt('artists', 'z')).toBeNull()
  })
})

describe('a run against the catalog ledger', () => {
  it('counts calls per id in development mode: ids past the budget are not planned and are listed', () => {
    const run = new RunLedger({ kv: memoryKv() })
    run.begin({
      runId: '20261121T010203456Z-abc123',
      dt,
      trigger: 'cron',
      force: false,
      catalog: policy({ callBudget: 3 }),
    })
    const planned = run.planCatalog({
      parentKey: 'p',
      kind: 'albums',
      ids: ['a', 'b'],
      batchSize: 20,
      fresh: ['f'],
    })
    expect(planned).toEqual([])
    run.planCatalog({ parentKey: 'q', kind: 'artists', ids: ['x', 'y', 'z'], batchSize: 20 })
    expect(run.catalogOver('albums', 'p')).toEqual([])
    expect(run.catalogOver('artists', 'q')).toEqual(['y', 'z'])
    const flushed = run.flushCatalog('last')
    expect(flushed.map(({ unit }) => unit)).toEqual([
      { type: 'albums', ids: ['a', 'b'], batch: 0 },
      { type: 'artists', ids: ['x'], batch: 0 },
    ])
    expect(run.manifest()?.catalog).toEqual({
      callBudget: 3,
      calls: 3,
      refreshDays: 30,
      kinds: { albums: { planned: 2, fresh: 1, waiting: 0 }, artists: { planned: 1, fresh: 0, waiting: 2 } },
    })
  })

  it('refuses a budget that is not a whole number of calls, before any manifest exists', () => {
    const run = new RunLedger({ kv: memoryKv() })
    const begin = (callBudget: number) =>
      run.begin({
        runId: '20261121T010203456Z-abc123',
        dt,
        trigger: 'cron',
        force: false,
        catalog: policy({ callBudget }),
      })
    expect(() => begin(0)).toThrow(/catalog.callBudget must be an integer >= 1, got 0/)
    expect(() => begin(2.5)).toThrow(RangeError)
    expect(run.manifest()).toBeNull()
  })

  it('counts one call per batch in extended mode', () => {
    const run = new RunLedger({ kv: memoryKv() })
    const catalog = policy({
      callBudget: 2,
      callsPer: 'batch',
      batchSizes: { tracks: 50, albums: 2, artists: 50 },
    })
    run.begin({ runId: '20261121T010203456Z-abc123', dt, trigger: 'cron', force: false, catalog })
    const planned = run.planCatalog({
      parentKey: 'p',
      kind: 'albums',
      ids: ['a', 'b', 'c', 'd', 'e'],
      batchSize: 2,
    })
    expect(planned.map(({ unit }) => unit)).toEqual([
      { type: 'albums', ids: ['a', 'b'], batch: 0 },
      { type: 'albums', ids: ['c', 'd'], batch: 1 },
    ])
    expect(run.catalogOver('albums', 'p')).toEqual(['e'])
    expect(run.manifest()?.catalog?.calls).toBe(2)
  })

  it('a second run on an unchanged catalog fetches nothing; a changed one fetches exactly the new ids', () => {
    const c = clock('2026-11-21T05:00:00Z')
    const global = new CatalogLedger({ kv: memoryKv(), now: c.now })
    const found = { albums: ['a1', 'a2', 'a3'], artists: ['r1', 'r2'] }
    const first = simulateRun({
      global,
      now: c.now,
      runId: '20261121T050000000Z-aaaaaa',
      catalog: policy(),
      found,
    })
    expect(first.fetched).toEqual({ albums: ['a1', 'a2', 'a3'], artists: ['r1', 'r2'] })
    c.advance(DAY)
    const second = simulateRun({
      global,
      now: c.now,
      runId: '20261122T050000000Z-bbbbbb',
      catalog: policy(),
      found,
    })
    expect(second.fetched).toEqual({})
    expect(second.manifest?.catalog?.kinds).toEqual({
      albums: { planned: 0, fresh: 3, waiting: 0 },
      artists: { planned: 0, fresh: 2, waiting: 0 },
    })
    c.advance(DAY)
    const changed = { albums: [...found.albums, 'a4'], artists: ['r3', ...found.artists] }
    const third = simulateRun({
      global,
      now: c.now,
      runId: '20261123T050000000Z-cccccc',
      catalog: policy(),
      found: changed,
    })
    expect(third.fetched).toEqual({ albums: ['a4'], artists: ['r3'] })
    // Past the refresh age, everything is due again.
    c.advance(30 * DAY)
    const later = simulateRun({
      global,
      now: c.now,
      runId: '20261223T050000000Z-dddddd',
      catalog: policy(),
      found: changed,
    })
    expect(later.fetched.albums?.sort()).toEqual(['a1', 'a2', 'a3', 'a4'])
  })

  it('what exceeds the budget waits, and the next run plans it first', () => {
    const c = clock('2026-11-21T05:00:00Z')
    const global = new CatalogLedger({ kv: memoryKv(), now: c.now })
    const catalog = policy({ callBudget: 3 })
    const first = simulateRun({
      global,
      now: c.now,
      runId: '20261121T050000000Z-aaaaaa',
      catalog,
      found: { albums: ['a1', 'a2', 'a3', 'a4', 'a5'] },
    })
    expect(first.fetched).toEqual({ albums: ['a1', 'a2', 'a3'] })
    expect(first.manifest?.catalog?.kinds.albums).toEqual({ planned: 3, fresh: 0, waiting: 2 })
    expect(global.waiting().albums).toEqual(['a4', 'a5'])
    c.advance(DAY)
    // New ids found by the next run queue behind the waiting ones.
    const second = simulateRun({
      global,
      now: c.now,
      runId: '20261122T050000000Z-bbbbbb',
      catalog,
      found: { albums: ['a1', 'a6', 'a7'] },
    })
    expect(second.fetched).toEqual({ albums: ['a4', 'a5', 'a6'] })
    expect(second.manifest?.catalog?.kinds.albums).toEqual({ planned: 3, fresh: 1, waiting: 1 })
    expect(global.waiting().albums).toEqual(['a7'])
    // A run that finds nothing still plans what waits.
    const third = simulateRun({ global, now: c.now, runId: '20261122T060000000Z-cccccc', catalog, found: {} })
    expect(third.fetched).toEqual({ albums: ['a7'] })
    expect(global.waiting().albums).toEqual([])
  })

  it('an id whose batch was planned but never stored stays due', () => {
    const c = clock('2026-11-21T05:00:00Z')
    const global = new CatalogLedger({ kv: memoryKv(), now: c.now })
    const run = new RunLedger({ kv: memoryKv(), now: c.now })
    run.begin({ runId: '20261121T050000000Z-aaaaaa', dt, trigger: 'cron', force: false, catalog: policy() })
    const { due } = global.due({ kind: 'albums', ids: ['a1'], refreshAfterMs: 30 * DAY })
    run.planCatalog({ parentKey: 'p', kind: 'albums', ids: due, batchSize: 1 })
    // The unit failed: nothing marks it; the next run asks again.
    expect(global.due({ kind: 'albums', ids: ['a1'], refreshAfterMs: 30 * DAY }).due).toEqual(['a1'])
  })
})
