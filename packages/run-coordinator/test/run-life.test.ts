/** @module A run's life in the ledger: activity, the stall deadline, closing early, and what a closed run still takes. */
import { describe, expect, it } from 'vitest'
import { GlobalLedger } from '../src/global-ledger.ts'
import { stallDeadline } from '../src/liveness.ts'
import { RunLedger } from '../src/run-ledger.ts'
import { memoryKv } from './support/memory-kv.ts'

const runId = '20261121T010203456Z-abc123'
const dt = '2026-11-21'
const playlist = (id: string, part = 0) => ({
  key: `playlist:${id}:${part}`,
  unit: { type: 'playlist' as const, playlistId: id, offset: 0, part },
})

function clocked(stallTimeoutMs = 60_000) {
  let t = Date.parse('2026-11-21T01:00:00Z')
  const l = new RunLedger({ kv: memoryKv(), now: () => new Date(t) })
  l.begin({ runId, dt, trigger: 'http', force: false, stallTimeoutMs })
  return { l, advance: (ms: number) => (t += ms), now: () => t }
}

describe('stall deadline', () => {
  it('moves with every report, waits out a rate-limit block, and is gone once the run is closed', () => {
    const { l, advance, now } = clocked()
    expect(l.stallDeadline()).toBe(now() + 60_000)
    l.planUnits([playlist('a'), playlist('b')])
    advance(50_000)
    l.unitFailed({ key: 'playlist:a:0', error: 'SpotifyUnavailableError: 503', permanent: false })
    expect(l.stallDeadline()).toBe(now() + 60_000)
    advance(10_000)
    l.rawTransformed({ rawKey: 'raw/x', tables: {}, rejects: {}, itemsSeen: 0 })
    expect(l.activityAt()).toBe(now())
    // Deferred for two hours: the deadline counts from the end of the block, not from the last report.
    const until = new Date(now() + 2 * 3600_000).toISOString()
    l.unitDeferred({ key: 'playlist:b:0', retryAt: until })
    expect(l.stallDeadline()).toBe(Date.parse(until) + 60_000)
    l.close({ status: 'abandoned', failure: { reason: 'cancelled', message: 'stopped' } })
    expect(l.stallDeadline()).toBeNull()
  })

  it('is the later of the last report and the block end, plus the timeout (pure rule)', () => {
    const m = { status: 'deferred' as const, blockedUntil: '2026-11-21T03:00:00.000Z' }
    expect(stallDeadline({ manifest: m, activityAt: Date.parse('2026-11-21T01:00:00Z'), timeoutMs: 5 })).toBe(
      Date.parse('2026-11-21T03:00:00Z') + 5,
    )
    expect(stallDeadline({ manifest: { ...m, status: 'running' }, activityAt: 1000, timeoutMs: 5 })).toBe(
      1005,
    )
  })
})

describe('closing a run early', () => {
  it('fails every open unit with the reason, keeps settled ones, and records why', () => {
    const { l } = clocked()
    l.planUnits([playlist('a'), playlist('b'), playlist('c')])
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: ['raw/a'], itemsSeen: 3 })
    l.unitFailed({ key: 'playlist:b:0', error: 'SpotifyUnavailableError: 503', permanent: false })
    const closed = l.close({
      status: 'failed',
      failure: {
        reason: 'spotify_client_invalid',
        message: 'SpotifyAuthError: invalid_client',
        action: 'check the secret',
        unit: 'playlist:c:0',
      },
    })
    expect(closed).toMatchObject({
      status: 'failed',
      failure: { reason: 'spotify_client_invalid', action: 'check the secret', unit: 'playlist:c:0' },
    })
    expect(closed.finishedAt).toBeDefined()
    expect(closed.units['playlist:a:0']?.status).toBe('extracted')
    expect(closed.units['playlist:b:0']).toMatchObject({ status: 'failed', reason: 'spotify_client_invalid' })
    expect(closed.units['playlist:b:0']?.error).toMatch(/failed before this unit finished.*last error: .*503/)
    expect(closed.errors.at(-1)).toMatchObject({ reason: 'spotify_client_invalid', unit: 'playlist:c:0' })
    // The first close wins.
    const again = l.close({ status: 'abandoned', failure: { reason: 'stalled', message: 'x' } })
    expect(again).toMatchObject({ status: 'failed', failure: { reason: 'spotify_client_invalid' } })
  })

  it('plans nothing new once closed, but still counts late reports and lets finalize clean up', () => {
    const { l } = clocked()
    l.planUnits([playlist('a')])
    l.close({ status: 'abandoned', failure: { reason: 'cancelled', message: 'stopped by the user' } })
    expect(l.planUnits([playlist('a', 1)], 'playlist:a:0')).toEqual([])
    expect(l.planCatalog({ parentKey: 'playlist:a:0', kind: 'albums', ids: ['x'], batchSize: 1 })).toEqual([])
    expect(l.flushCatalog('playlist:a:0')).toEqual([])
    expect(l.manifest()?.units['playlist:a:1']).toBeUndefined()
    // A message that was already under way when the run closed: its raw object still counts.
    l.unitExtracted({ key: 'playlist:a:0', rawKeys: ['raw/a'], itemsSeen: 2 })
    l.rawTransformed({ rawKey: 'raw/a', tables: {}, rejects: {}, itemsSeen: 2 })
    expect(l.claimFinalize('raw/a')).toBe(true)
    const finalized = l.finalized({
      status: 'succeeded',
      tables: {},
      reconciliation: { itemsSeen: 2, rowsWritten: 2, rowsRejected: 0, ok: true },
    })
    expect(finalized).toMatchObject({ status: 'abandoned', failure: { reason: 'cancelled' } })
  })

  it('keeps a deferred unit of a closed run from reopening the run', () => {
    const { l } = clocked()
    l.planUnits([playlist('a'), playlist('b')])
    l.close({ status: 'failed', failure: { reason: 'reauth_required', message: 'invalid_grant' } })
    l.unitDeferred({ key: 'playlist:a:0', retryAt: '2026-11-21T05:00:00.000Z' })
    expect(l.manifest()).toMatchObject({ status: 'failed' })
    expect(l.manifest()?.units['playlist:a:0']?.status).toBe('failed')
  })
})

describe('the lock of a dead run', () => {
  it('passes to a new run that names the dead holder, and only while that run still holds it', () => {
    const g = new GlobalLedger({ kv: memoryKv() })
    const [a, b, c] = [
      '20261121T010000000Z-aaaaaa',
      '20261121T020000000Z-bbbbbb',
      '20261121T030000000Z-cccccc',
    ]
    g.acquire({ runId: a, force: false })
    expect(g.acquire({ runId: b, force: false }).acquired).toBe(false)
    expect(g.acquire({ runId: b, force: false, replacing: a })).toEqual({ acquired: true })
    // c also found a dead, but b has the lock by now: c must not take it.
    expect(g.acquire({ runId: c, force: false, replacing: a })).toMatchObject({
      acquired: false,
      activeRunId: b,
    })
  })
})
