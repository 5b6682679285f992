/** @module Which tables a run holds completely: the rule `run_tables` records and the lake's views read. */
import { describe, expect, it } from 'vitest'
import { tableCompleteness } from '../src/load/completeness.ts'

const done = { status: 'extracted' as const, attempts: 1, rawKeys: [], itemsSeen: 1 }
const units = (extra: Record<string, { status: string }> = {}) =>
  ({ 'playlist:p:0': done, 'albums:0': done, 'artists:0': done, ...extra }) as never

const complete = (c: ReturnType<typeof tableCompleteness>) =>
  Object.fromEntries(Object.entries(c).map(([t, v]) => [t, v.complete]))

describe('tableCompleteness', () => {
  it('counts a run with every unit finished, permanent failures and content rejects included', () => {
    const c = tableCompleteness({
      manifest: {
        units: units({ 'playlist:gone:0': { status: 'failed' }, 'playlist:q:0': { status: 'skipped' } }),
      },
      reconciled: true,
      rejects: { invalid_payload: 3 },
    })
    expect(Object.values(c).every((t) => t.complete && t.reason === null)).toBe(true)
  })

  it('marks only the tables an open unit can write: an albums batch leaves playlists complete', () => {
    const c = tableCompleteness({
      manifest: { units: units({ 'albums:1': { status: 'dead_lettered' } }) },
      reconciled: true,
      rejects: {},
    })
    expect(complete(c)).toEqual({
      playlists: true,
      playlist_items: true,
      tracks: true,
      albums: false,
      artists: false,
      account_playlists: true,
    })
    expect(c.albums.reason).toBe('unit albums:1 is dead_lettered')
  })

  it('marks every table incomplete when an account could not be read (reauth_required), not for a 403', () => {
    const c = tableCompleteness({
      manifest: {
        units: units({
          'my-playlists:a1': { status: 'failed', reason: 'reauth_required' } as never,
          'playlist:other:0': { status: 'failed', reason: 'spotify_forbidden' } as never,
        }),
      },
      reconciled: true,
      rejects: {},
    })
    // Its listing, and so its playlists with their items, tracks, albums and artists, are missing.
    expect(c.account_playlists).toEqual({
      complete: false,
      reason: 'unit my-playlists:a1 is failed (reauth_required)',
    })
    expect(Object.values(complete(c)).some(Boolean)).toBe(false)
    const forbidden = tableCompleteness({
      manifest: {
        units: units({ 'playlist:other:0': { status: 'failed', reason: 'spotify_forbidden' } as never }),
      },
      reconciled: true,
      rejects: {},
    })
    expect(Object.values(complete(forbidden)).every(Boolean)).toBe(true)
  })

  it('marks every table when a playlist part is missing, or the run closed early, or counts do not close', () => {
    const pending = tableCompleteness({
      manifest: { units: units({ 'playlist:p:1': { status: 'pending' } }) },
      reconciled: true,
      rejects: {},
    })
    expect(Object.values(complete(pending))).toEqual([false, false, false, false, false, false])
    const closed = tableCompleteness({
      manifest: {
        units: units(),
        failure: { reason: 'reauth_required', message: 'invalid_grant', at: '2026-11-21T00:00:00.000Z' },
      },
      reconciled: true,
      rejects: {},
    })
    expect(closed.playlists.reason).toBe('the run closed early (reauth_required)')
    expect(
      tableCompleteness({ manifest: { units: units() }, reconciled: false, rejects: {} }).tracks.complete,
    ).toBe(false)
    expect(
      tableCompleteness({ manifest: { units: units() }, reconciled: true, rejects: { dead_lettered: 1 } })
        .playlists.reason,
    ).toMatch(/dead-lettered/)
  })
})
