import { RunManifestSchema } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { RunLedger, RunNotFoundError } from '../src/run-ledger.ts'
import { memoryKv } from './support/memory-kv.ts'

const runId = '20261121T010203456Z-abc123'
const dt = '2026-11-21'

function ledger(now = () => new Date('2026-11-21T01:02:03.456Z')) {
  const l = new RunLedger({ kv: memoryKv(), now })
  l.begin({ runId, dt, trigger: 'cron', force: false })
  return l
}

const playlist = (id: string, part = 0) => ({
  key: `playlist:${id}:${part}`,
  unit: { type: 'playlist' as const, playlistId: id, offset: 0, part },
})

describe('RunLedger', () => {
  it('begins once and writes a manifest the schema accepts', () => {
    const l = ledger()
    const again = l.begin({ runId, dt, trigger: 'http', force: true })
    expect(again.trigger).toBe('cron')
    expect(RunManifestSchema.parse(l.manifest())).toMatchObject({ runId, dt, status: 'running', units: {} })
  })

  it('refuses reports before begin', () => {
    const l = new RunLedger({ kv: memoryKv() })
    expect(l.manifest()).toBeNull()
    expect(() => l.unitExtracted({ key: 'x', rawKeys: [], itemsSeen: 0 })).toThrow(RunNotFoundError)
    expect(() => l.claimFinalize()).toThrow(RunNotFoundError)
  })

  it('plans units idempotently by key and keeps a settled unit settled', () => {
    const l = ledger()
    l.planUnits([playlist('a')])
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: ['raw/a'], itemsSeen: 3 })
    l.planUnits([playlist('a'), playlist('b')])
    expect(l.manifest()?.units['playlist:a:0']).toMatchObject({
      status: 'extracted',
      itemsSeen: 3,
      attempts: 1,
    })
    expect(l.manifest()?.units['playlist:b:0']).toMatchObject({ status: 'pending', attempts: 0 })
  })

  it("plans follow-ups of a parent once: new units only, the same answer on the parent's retry", () => {
    const l = ledger()
    l.planUnits([playlist('a')])
    const fromList = l.planUnits([playlist('a'), playlist('b'), playlist('b')], 'my-playlists')
    expect(fromList.map((u) => u.key)).toEqual(['playlist:b:0'])
    expect(l.planUnits([playlist('a'), playlist('b'), playlist('c')], 'my-playlists')).toEqual(fromList)
    expect(l.planUnits([playlist('b'), playlist('c')], 'other-parent').map((u) => u.key)).toEqual([
      'playlist:c:0',
    ])
    expect(l.unitStatus('playlist:b:0')).toBe('pending')
    expect(l.unitStatus('nope')).toBeNull()
  })

  it('claims every id once per run and kind', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b'), playlist('c')])
    const ids = (parentKey: string, kind: 'artists' | 'albums', of: string[]) =>
      l
        .planCatalog({ parentKey, kind, ids: of, batchSize: 1 })
        .flatMap(({ unit }) => ('ids' in unit ? unit.ids : []))
    expect(ids('playlist:a:0', 'artists', ['a', 'b'])).toEqual(['a', 'b'])
    expect(ids('playlist:b:0', 'artists', ['b', 'c'])).toEqual(['c'])
    expect(ids('playlist:c:0', 'albums', ['a'])).toEqual(['a'])
  })

  it('plans full catalog batches across parents, never the same id twice, same units for a retried parent', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b'), playlist('c')])
    const first = l.planCatalog({
      parentKey: 'playlist:a:0',
      kind: 'artists',
      ids: ['1', '2', '3', '2'],
      batchSize: 2,
    })
    // One full batch now; '3' waits for a partner instead of going out alone.
    expect(first).toEqual([{ key: 'artists:0', unit: { type: 'artists', ids: ['1', '2'], batch: 0 } }])
    const second = l.planCatalog({
      parentKey: 'playlist:b:0',
      kind: 'artists',
      ids: ['3', '4'],
      batchSize: 2,
    })
    expect(second).toEqual([{ key: 'artists:1', unit: { type: 'artists', ids: ['3', '4'], batch: 1 } }])
    expect(
      l.planCatalog({ parentKey: 'playlist:a:0', kind: 'artists', ids: ['1', '9'], batchSize: 2 }),
    ).toEqual(first)
    expect(
      l.planCatalog({ parentKey: 'playlist:c:0', kind: 'artists', ids: ['1', '2', '5'], batchSize: 2 }),
    ).toEqual([])
    expect(Object.keys(l.manifest()?.units ?? {}).filter((k) => k.startsWith('artists:'))).toEqual([
      'artists:0',
      'artists:1',
    ])
    expect(() => l.planCatalog({ parentKey: 'p', kind: 'albums', ids: ['x'], batchSize: 0 })).toThrow(
      RangeError,
    )
  })

  it('plans the waiting ids as the last batches once no playlist is open, for that claimant only', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b')])
    l.planCatalog({ parentKey: 'playlist:a:0', kind: 'albums', ids: ['x', 'y', 'z'], batchSize: 2 })
    l.planCatalog({ parentKey: 'playlist:a:0', kind: 'artists', ids: ['1'], batchSize: 50 })
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: [], itemsSeen: 1 })
    // Playlist b may still find ids: nothing is flushed, and the run cannot finalize with ids waiting.
    expect(l.flushCatalog('playlist:a:0')).toEqual([])
    l.unitExtracted({ key: 'albums:0', rawKeys: [], itemsSeen: 2 })
    l.unitFailed({ key: 'playlist:b:0', error: '404', permanent: true })
    expect(l.claimFinalize('playlist:b:0')).toBe(false)

    const last = l.flushCatalog('playlist:b:0')
    expect(last).toEqual([
      { key: 'albums:1', unit: { type: 'albums', ids: ['z'], batch: 1 } },
      { key: 'artists:0', unit: { type: 'artists', ids: ['1'], batch: 0 } },
    ])
    expect(l.flushCatalog('someone-else')).toEqual([])
    // The claimant's retry gets what is still open, so a failed send is not lost.
    l.unitExtracted({ key: 'albums:1', rawKeys: [], itemsSeen: 1 })
    expect(l.flushCatalog('playlist:b:0')).toEqual([last[1]])
    expect(l.claimFinalize('x')).toBe(false)
    l.unitExtracted({ key: 'artists:0', rawKeys: [], itemsSeen: 1 })
    expect(l.flushCatalog('playlist:b:0')).toEqual([])
    expect(l.claimFinalize('x')).toBe(true)
  })

  it('finalizes exactly once, only after every unit is terminal and every raw key transformed', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b'), playlist('c')])
    expect(l.apiMode()).toBeNull()
    l.unitExtracted({
      key: 'playlist:a:0',
      rawKeys: ['raw/a0', 'raw/a1'],
      itemsSeen: 5,
      apiMode: 'development',
    })
    l.unitFailed({ key: 'playlist:b:0', error: '404 not found', permanent: true })
    expect(l.claimFinalize()).toBe(false) // c pending
    l.unitUnchanged({ key: 'playlist:c:0', rawKeys: ['raw/c'], itemsSeen: 1 })
    expect(l.claimFinalize()).toBe(false) // nothing transformed
    l.rawTransformed({
      rawKey: 'raw/a0',
      tables: { playlist_items: { rows: 2, rejected: 1 } },
      rejects: { x: 1 },
      itemsSeen: 3,
    })
    l.rawTransformed({
      rawKey: 'raw/a0',
      tables: { playlist_items: { rows: 2, rejected: 1 } },
      rejects: { x: 1 },
      itemsSeen: 3,
    })
    l.rawTransformed({
      rawKey: 'raw/a1',
      tables: { playlist_items: { rows: 2, rejected: 0 } },
      rejects: {},
      itemsSeen: 2,
    })
    expect(l.claimFinalize()).toBe(false) // raw/c missing
    l.rawTransformed({
      rawKey: 'raw/c',
      tables: { playlists: { rows: 1, rejected: 0 } },
      rejects: {},
      itemsSeen: 1,
    })
    expect(l.progress()).toEqual({
      units: { extracted: 1, failed: 1, unchanged: 1 },
      rawKeys: 3,
      transformed: 3,
      staged: {
        itemsSeen: 6,
        tables: { playlist_items: { rows: 4, rejected: 1 }, playlists: { rows: 1, rejected: 0 } },
        rejects: { x: 1 },
      },
      finalizeClaimed: false,
    })
    expect(l.claimFinalize('raw/c')).toBe(true)
    expect(l.claimFinalize()).toBe(false)
    expect(l.claimFinalize('raw/a0')).toBe(false)
    expect(l.claimFinalize('raw/c')).toBe(true) // the claimant's own retry
    expect(l.progress().finalizeClaimed).toBe(true)
    const m = l.finalized({
      status: 'partial',
      tables: { playlist_items: { rows: 4, rejected: 1, duplicates: 0, bytes: 100 } },
      reconciliation: { itemsSeen: 6, rowsWritten: 5, rowsRejected: 1, ok: true },
      rejects: { null_item: 1 },
      timings: { finalizeMs: 12 },
    })
    expect(m).toMatchObject({
      status: 'partial',
      apiMode: 'development',
      rejects: { null_item: 1 },
      timings: { finalizeMs: 12 },
    })
    expect(l.apiMode()).toBe('development')
    expect(m.finishedAt).toBeDefined()
    expect(m.errors).toEqual([{ unit: 'playlist:b:0', message: '404 not found', at: expect.any(String) }])
  })

  it('counts transient failures without ending the unit', () => {
    const l = ledger()
    l.planUnits([playlist('a')])
    l.unitFailed({
      key: 'playlist:a:0',
      error: 'Spotify answered 503',
      permanent: false,
      api: { calls: 5, retries: 4 },
    })
    expect(l.manifest()?.units['playlist:a:0']).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: 'Spotify answered 503',
    })
    expect(l.manifest()?.api).toMatchObject({ calls: 5, retries: 4 })
    expect(l.claimFinalize()).toBe(false)
  })

  it('defers a run while Spotify blocks it and runs again once the unit extracts', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b')])
    l.unitDeferred({ key: 'playlist:a:0', retryAt: '2026-11-21T05:00:00.000Z' })
    l.unitDeferred({ key: 'playlist:b:0', retryAt: '2026-11-21T04:00:00.000Z' })
    expect(l.manifest()).toMatchObject({ status: 'deferred', blockedUntil: '2026-11-21T05:00:00.000Z' })
    expect(l.manifest()?.units['playlist:a:0']).toMatchObject({
      status: 'deferred',
      retryAt: '2026-11-21T05:00:00.000Z',
    })
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: [], itemsSeen: 0 })
    expect(l.manifest()?.status).toBe('deferred')
    l.unitExtracted({ key: 'playlist:b:0', rawKeys: [], itemsSeen: 0 })
    expect(l.manifest()?.status).toBe('running')
    expect(l.manifest()?.blockedUntil).toBeUndefined()
  })

  it('dead-letters a unit but never undoes one that finished', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b')])
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: [], itemsSeen: 0 })
    l.unitDeadLettered({ key: 'playlist:a:0', error: 'late copy' })
    l.unitDeadLettered({ key: 'playlist:b:0', error: 'retries exhausted' })
    expect(l.manifest()?.units['playlist:a:0']?.status).toBe('extracted')
    expect(l.manifest()?.units['playlist:b:0']).toMatchObject({
      status: 'dead_lettered',
      error: 'retries exhausted',
    })
    expect(l.claimFinalize()).toBe(true)
  })

  it('skips a pending unit with its reason (terminal, no raw), never one that settled', () => {
    const l = ledger()
    l.planUnits([playlist('a'), playlist('b')])
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: [], itemsSeen: 0 })
    l.unitsSkipped([{ key: 'playlist:a:0', reason: 'late' }])
    expect(l.claimFinalize()).toBe(false) // b pending
    l.unitsSkipped([])
    l.unitsSkipped([{ key: 'playlist:b:0', reason: 'development mode: not owned' }])
    l.unitsSkipped([{ key: 'playlist:b:0', reason: 'again' }])
    expect(l.manifest()?.units['playlist:a:0']?.status).toBe('extracted')
    expect(l.manifest()?.units['playlist:b:0']).toMatchObject({
      status: 'skipped',
      error: 'development mode: not owned',
      rawKeys: [],
      attempts: 0,
    })
    expect(l.manifest()?.errors).toEqual([])
    expect(l.progress().units).toEqual({ extracted: 1, skipped: 1 })
    expect(l.claimFinalize()).toBe(true)
  })

  it('sums API stats across units', () => {
    const l = ledger()
    const api = { calls: 2, byEndpoint: { 'GET /playlists/{id}': 2 }, bytes: 10 }
    l.unitExtracted({ key: 'a', rawKeys: [], itemsSeen: 0, api })
    l.unitUnchanged({ key: 'b', rawKeys: [], itemsSeen: 0, api })
    expect(l.manifest()?.api).toEqual({
      calls: 4,
      byEndpoint: { 'GET /playlists/{id}': 4 },
      retries: 0,
      rateLimited: 0,
      waitMs: 0,
      bytes: 20,
    })
  })
})

describe('accounts in a run', () => {
  const accountState = (accountId: string) => ({
    accountId,
    userId: `user-${accountId}`,
    status: 'connected' as const,
    consentedAt: '2026-10-01T00:00:00.000Z',
    expiresAt: '2027-04-01T00:00:00.000Z',
    daysLeft: 130,
  })
  const listing = (accountId: string) => ({
    key: `my-playlists:${accountId}`,
    unit: { type: 'my-playlists' as const, accountId, userId: `user-${accountId}` },
  })
  const owned = (id: string, accountId: string) => ({
    key: `playlist:${id}:0`,
    unit: { type: 'playlist' as const, playlistId: id, offset: 0, part: 0, accountId },
  })
  function twoAccounts() {
    const l = new RunLedger({ kv: memoryKv(), now: () => new Date('2026-11-21T01:02:03.456Z') })
    l.begin({
      runId,
      dt,
      trigger: 'cron',
      force: false,
      accounts: { a: accountState('a'), b: accountState('b') },
      warnings: ['a warning the run starts with'],
    })
    l.planUnits([listing('a'), listing('b')])
    return l
  }

  it('records the accounts, the warnings and each unit with the account it reads with', () => {
    const l = twoAccounts()
    const m = RunManifestSchema.parse(l.manifest())
    expect(Object.keys(m.accounts)).toEqual(['a', 'b'])
    expect(m.warnings).toEqual(['a warning the run starts with'])
    expect(m.units['my-playlists:a']).toMatchObject({ status: 'pending', account: 'a' })
  })

  it('a playlist one account skipped is planned again by an account that may read it', () => {
    const l = twoAccounts()
    expect(l.planUnits([owned('p', 'b')], 'my-playlists:b').map((u) => u.key)).toEqual(['playlist:p:0'])
    l.unitsSkipped([{ key: 'playlist:p:0', reason: 'development mode: not b', account: 'b' }])
    expect(l.unitStatus('playlist:p:0')).toBe('skipped')
    expect(l.planUnits([owned('p', 'a')], 'my-playlists:a').map((u) => u.key)).toEqual(['playlist:p:0'])
    expect(l.manifest()?.units['playlist:p:0']).toMatchObject({ status: 'pending', account: 'a' })
    // The same account's retry does not plan it twice; b's retry gets its earlier answer.
    expect(l.planUnits([owned('p', 'b')], 'my-playlists:b').map((u) => u.key)).toEqual(['playlist:p:0'])
    l.unitsSkipped([{ key: 'playlist:p:0', reason: 'development mode: not b', account: 'b' }])
    expect(l.unitStatus('playlist:p:0')).toBe('pending')
  })

  it("fails one account's open units at once; the run goes on while another account is connected", () => {
    const l = twoAccounts()
    l.planUnits([owned('pa', 'a'), owned('pb', 'b')], 'x')
    l.unitExtracted({ key: 'my-playlists:a', rawKeys: ['raw/a'], itemsSeen: 1 })
    const failure = {
      reason: 'reauth_required',
      message: 'invalid_grant (Refresh token expired)',
      unit: 'my-playlists:b',
    }
    const { manifest, othersOpen } = l.failAccount({ accountId: 'b', failure, warning: 'reconnect b' })
    expect(othersOpen).toBe(true)
    expect(manifest.units['my-playlists:b']).toMatchObject({ status: 'failed', reason: 'reauth_required' })
    expect(manifest.units['playlist:pb:0']).toMatchObject({ status: 'failed', reason: 'reauth_required' })
    expect(manifest.units['playlist:pa:0']?.status).toBe('pending')
    expect(manifest.units['my-playlists:a']?.status).toBe('extracted')
    expect(manifest.accounts.b).toMatchObject({
      status: 'reauth_required',
      warning: 'reconnect b',
      failure: { reason: 'reauth_required' },
    })
    expect(manifest.warnings).toContain('reconnect b')
    expect(l.failAccount({ accountId: 'a', failure }).othersOpen).toBe(false)
  })

  it('a quota block shows its reason and a warning; the block ends with the run', () => {
    const l = twoAccounts()
    l.unitDeferred({ key: 'my-playlists:a', retryAt: '2026-11-21T03:00:00.000Z', reason: 'quota_exceeded' })
    expect(l.manifest()).toMatchObject({ status: 'deferred', blockedReason: 'quota_exceeded' })
    expect(l.manifest()?.warnings.at(-1)).toMatch(/QUOTA_EXCEEDED.*2026-11-21T03:00:00.000Z/)
    l.unitExtracted({ key: 'my-playlists:a', rawKeys: [], itemsSeen: 0 })
    expect(l.manifest()?.blockedReason).toBeUndefined()
  })
})
