/** @module Which tables a run holds completely: the rule `run_tables` records and the lake's views read. */
import { LAKE_TABLE_NAMES } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { tableCompleteness } from '../src/load/completeness.ts'

const done = { status: 'extracted' as const, attempts: 1, rawKeys: [], itemsSeen: 1 }
const units = (extra: Record<string, { status: string }> = {}) =>
  ({ 'playlist:p:0': done, 'albums:0': done, 'artists:0': done, ...extra }) as never

/** Tables only units of their own (user-scoped sources) write: a playlist run answers for none of them. */
const OWN_UNIT_TABLES: readonly string[] = [
  'plays',
  'top_tracks',
  'top_artists',
  'followed_artists',
  'saved_tracks',
  'saved_albums',
  'saved_shows',
  'saved_episodes',
]

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
    // ...for every table its units write: none of them writes the user-scoped tables.
    expect(
      Object.entries(c).every(([t, v]) => OWN_UNIT_TABLES.includes(t) || (v.complete && v.reason === null)),
    ).toBe(true)
    for (const t of OWN_UNIT_TABLES)
      expect(c[t as 'plays']).toEqual({ complete: false, reason: 'no unit of the run extracts it' })
  })

  it('is complete only for the tables its units write: an hourly plays poll says nothing of the playlists', () => {
    const c = tableCompleteness({
      manifest: { units: { 'recently-played:a1': done } as never },
      reconciled: true,
      rejects: {},
    })
    expect(
      Object.entries(complete(c))
        .filter(([, ok]) => ok)
        .map(([t]) => t)
        .sort(),
    ).toEqual(['albums', 'artists', 'plays', 'tracks'])
    expect(c.playlists.reason).toBe('no unit of the run extracts it')
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
      plays: false,
      top_tracks: false,
      top_artists: false,
      followed_artists: false,
      saved_tracks: false,
      saved_albums: false,
      saved_shows: false,
      saved_episodes: false,
    })
    expect(c.albums.reason).toBe('unit albums:1 is dead_lettered')
  })

  it('marks every table of the playlists incomplete when an account could not be read (reauth_required), not for a 403', () => {
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
    // An account's plays come from units of their own (the recently_played source), which this run has not.
    expect(Object.values(complete(c)).some(Boolean)).toBe(false)
    const forbidden = tableCompleteness({
      manifest: {
        units: units({ 'playlist:other:0': { status: 'failed', reason: 'spotify_forbidden' } as never }),
      },
      reconciled: true,
      rejects: {},
    })
    expect(Object.entries(complete(forbidden)).every(([t, ok]) => ok === !OWN_UNIT_TABLES.includes(t))).toBe(
      true,
    )
  })

  it('is complete for the snapshots a daily run wrote; a pending followed-artists part leaves followed_artists and artists incomplete', () => {
    const daily = {
      ...(units() as Record<string, unknown>),
      'top-items:a1:tracks:short_term': done,
      'followed-artists:a1:0': done,
    }
    const c = tableCompleteness({ manifest: { units: daily as never }, reconciled: true, rejects: {} })
    expect(complete(c)).toMatchObject({
      top_tracks: true,
      top_artists: true,
      followed_artists: true,
      plays: false,
    })
    const open = tableCompleteness({
      manifest: { units: { ...daily, 'followed-artists:a1:1': { status: 'pending' } } as never },
      reconciled: true,
      rejects: {},
    })
    expect(complete(open)).toMatchObject({
      followed_artists: false,
      artists: false,
      top_tracks: true,
      playlists: true,
    })
  })

  it('marks every table a playlist part writes when one is missing; every table when the run closed early or counts do not close', () => {
    const pending = tableCompleteness({
      manifest: { units: units({ 'playlist:p:1': { status: 'pending' } }) },
      reconciled: true,
      rejects: {},
    })
    expect(Object.values(complete(pending)).some(Boolean)).toBe(false)
    const poll = tableCompleteness({
      manifest: { units: units({ 'recently-played:a1': { status: 'deferred' } }) },
      reconciled: true,
      rejects: {},
    })
    expect(
      Object.entries(complete(poll))
        .filter(([, ok]) => !ok)
        .map(([t]) => t),
    ).toEqual(
      [...OWN_UNIT_TABLES, 'tracks', 'albums', 'artists'].sort(
        (a, b) => LAKE_TABLE_NAMES.indexOf(a as never) - LAKE_TABLE_NAMES.indexOf(b as never),
      ),
    )
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
