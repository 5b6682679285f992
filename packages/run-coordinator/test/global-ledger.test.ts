import { describe, expect, it } from 'vitest'
import { coalesce } from '../src/coalesce.ts'
import { GlobalLedger } from '../src/global-ledger.ts'
import { memoryKv } from './support/memory-kv.ts'

const A = '20261121T010203456Z-aaaaaa'
const B = '20261121T020203456Z-bbbbbb'

function clock(start: string) {
  let t = Date.parse(start)
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) }
}

describe('GlobalLedger', () => {
  it('holds one active run; a second is refused unless forced; only the holder releases', () => {
    const c = clock('2026-11-21T01:00:00Z')
    const g = new GlobalLedger({ kv: memoryKv(), now: c.now })
    expect(g.acquire({ runId: A, force: false })).toEqual({ acquired: true })
    expect(g.acquire({ runId: A, force: false })).toEqual({ acquired: true })
    expect(g.acquire({ runId: B, force: false })).toEqual({
      acquired: false,
      activeRunId: A,
      since: '2026-11-21T01:00:00.000Z',
    })
    expect(g.acquire({ runId: B, force: true })).toEqual({ acquired: true })
    g.release(A)
    expect(g.activeRun()?.runId).toBe(B)
    g.release(B)
    expect(g.activeRun()).toBeNull()
  })

  it('lets a new run in once a stale lock has outlived its ttl', () => {
    const c = clock('2026-11-21T01:00:00Z')
    const g = new GlobalLedger({ kv: memoryKv(), now: c.now, lockTtlMs: 1000 })
    g.acquire({ runId: A, force: false })
    c.advance(999)
    expect(g.acquire({ runId: B, force: false }).acquired).toBe(false)
    c.advance(1)
    expect(g.acquire({ runId: B, force: false }).acquired).toBe(true)
  })

  it('keeps the latest "blocked until" and forgets it once it has passed', () => {
    const c = clock('2026-11-21T01:00:00Z')
    const g = new GlobalLedger({ kv: memoryKv(), now: c.now })
    expect(g.blockedUntil()).toBeNull()
    expect(g.blockUntil('2026-11-21T03:00:00Z')).toBe('2026-11-21T03:00:00.000Z')
    expect(g.blockUntil('2026-11-21T02:00:00.000Z')).toBe('2026-11-21T03:00:00.000Z')
    expect(g.blockedUntil()).toBe('2026-11-21T03:00:00.000Z')
    g.unblock()
    expect(g.blockedUntil()).toBeNull()
    g.blockUntil('2026-11-21T03:00:00Z')
    c.advance(2 * 60 * 60 * 1000)
    expect(g.blockedUntil()).toBeNull()
    expect(() => g.blockUntil('soon')).toThrow(RangeError)
  })
})

describe('GlobalLedger block reasons', () => {
  it('remembers why the app is blocked: a quota block outlasting a rate-limit one keeps its reason', () => {
    const c = clock('2026-11-21T01:00:00Z')
    const g = new GlobalLedger({ kv: memoryKv(), now: c.now })
    expect(g.blockReason()).toBeNull()
    g.blockUntil('2026-11-21T01:00:30Z')
    expect(g.blockReason()).toBe('rate_limited')
    g.blockUntil('2026-11-21T02:00:00Z', 'quota_exceeded')
    // A shorter rate-limit block changes neither the instant nor the reason.
    expect(g.blockUntil('2026-11-21T01:05:00Z')).toBe('2026-11-21T02:00:00.000Z')
    expect(g.blockReason()).toBe('quota_exceeded')
    c.advance(3600_000)
    expect(g.blockReason()).toBeNull()
  })
})

describe('coalesce', () => {
  it('serialises writes and folds a burst into one write that starts after it', async () => {
    const started: number[] = []
    let state = 0
    const releases: (() => void)[] = []
    const write = coalesce(async () => {
      started.push(state)
      await new Promise<void>((resolve) => releases.push(resolve))
    })
    state = 1
    const first = write()
    state = 2
    const second = write()
    state = 3
    const third = write()
    expect(second).toBe(third)
    expect(started).toEqual([1])
    releases.shift()?.()
    await first
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual([1, 3])
    releases.shift()?.()
    await third
    expect(started).toEqual([1, 3])
  })
})
