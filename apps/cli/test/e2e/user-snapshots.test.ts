/**
 * @module E2e of the daily user snapshots through the local stack: a run of the playlists, top_items and
 * followed_artists sources (a new install's daily sources) lands exactly the fake's top lists (ranked,
 * three time ranges) and followed artists, with the tracks and artists they name in the catalog tables;
 * a day later the ranks have moved, and `top-artists-over-time` says how.
 */
import { followedArtistIds, TIME_RANGES, topIds } from '@spotify-lake/spotify-client/fake'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LakeDb } from '../../src/query/index.ts'
import { expectReconciled, expectRunObjects } from './support/assert-run.ts'
import { openLake, queryObjects, runInsight } from './support/lake.ts'
import { type E2eStack, runToEnd, startE2eStack } from './support/stack.ts'

const DAY = 86_400_000
const DT1 = '2026-11-24'
const DT2 = '2026-11-25'
const SOURCES = ['playlists', 'top_items', 'followed_artists'] as const

describe.each(['development', 'extended'] as const)('top items and followed artists (%s mode)', (mode) => {
  let lake: E2eStack
  const dbs: LakeDb[] = []
  beforeAll(async () => {
    lake = await startE2eStack({ mode, seed: 17, playlists: 1, items: 5 })
  })
  afterAll(async () => {
    for (const db of dbs) db.close()
    await lake?.close()
  })

  /** What the fake ranks now, per (type, range), for the account's user. */
  const ranking = (type: 'tracks' | 'artists') => {
    const { catalog } = lake.fake
    return Object.fromEntries(
      TIME_RANGES.map((range) => [
        range,
        topIds({ catalog, type, range, userId: catalog.user.id, now: lake.fake.now() }),
      ]),
    )
  }

  async function lakeDb() {
    const db = await openLake(lake)
    dbs.push(db)
    return db
  }

  const topArtists: Record<string, Record<string, string[]>> = { [DT1]: {}, [DT2]: {} }

  it('lands the ranked lists and the followed artists of the day, and their tracks and artists in the catalog', async () => {
    topArtists[DT1] = ranking('artists')
    const tracks = ranking('tracks')
    const run = await runToEnd(lake, { dt: DT1, sources: SOURCES })
    const m = run.manifest
    const rows = Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rows]))
    const account = lake.fake.catalog.user.accountId
    const followed = followedArtistIds({ catalog: lake.fake.catalog, userId: lake.fake.catalog.user.id })
    expect(rows).toMatchObject({
      top_tracks: TIME_RANGES.reduce((n, r) => n + tracks[r]!.length, 0),
      top_artists: TIME_RANGES.reduce((n, r) => n + topArtists[DT1]![r]!.length, 0),
      followed_artists: followed.length,
    })
    expectReconciled(m, rows)
    await expectRunObjects(lake.store, m)
    for (const t of ['top_tracks', 'top_artists', 'followed_artists'] as const)
      expect(m.tables[t]?.complete, t).toBe(true)

    const db = await lakeDb()
    const ranked = await queryObjects(
      db,
      `SELECT account_id, time_range, rank, artist_id FROM top_artists WHERE dt = '${DT1}' ORDER BY time_range, rank`,
    )
    expect(ranked.every((r) => r.account_id === account)).toBe(true)
    for (const range of TIME_RANGES)
      expect(ranked.filter((r) => r.time_range === range).map((r) => [r.rank, r.artist_id])).toEqual(
        topArtists[DT1]![range]!.map((id, i) => [i + 1, id]),
      )
    const topTrackIds = await queryObjects(
      db,
      `SELECT track_id FROM top_tracks WHERE dt = '${DT1}' AND time_range = 'short_term' ORDER BY rank`,
    )
    expect(topTrackIds.map((r) => r.track_id)).toEqual(tracks.short_term)
    const follows = await queryObjects(
      db,
      `SELECT artist_id FROM followed_artists WHERE dt = '${DT1}' AND account_id = '${account}' ORDER BY 1`,
    )
    expect(follows.map((r) => r.artist_id)).toEqual([...followed].sort())
    // Every ranked track and every artist named is in the catalog tables of the run.
    const missing = await queryObjects(
      db,
      `SELECT t.track_id FROM top_tracks AS t LEFT JOIN tracks AS c ON c.track_id = t.track_id AND c.dt = t.dt
       WHERE t.dt = '${DT1}' AND c.track_id IS NULL
       UNION ALL
       SELECT a.artist_id FROM followed_artists AS a LEFT JOIN artists AS c ON c.artist_id = a.artist_id AND c.dt = a.dt
       WHERE a.dt = '${DT1}' AND c.artist_id IS NULL`,
    )
    expect(missing).toEqual([])
  })

  it('a day later the ranks have moved, and top-artists-over-time says how', async () => {
    lake.fake.advanceClock(DAY)
    topArtists[DT2] = ranking('artists')
    expect(topArtists[DT2]!.short_term).not.toEqual(topArtists[DT1]!.short_term)
    const run = await runToEnd(lake, { dt: DT2, sources: SOURCES })
    expect(run.manifest.status).toBe('succeeded')
    const db = await lakeDb()
    const rows = await runInsight(db, 'top-artists-over-time')
    const account = lake.fake.catalog.user.accountId
    const want = [DT1, DT2].flatMap((dt, day) =>
      TIME_RANGES.flatMap((range) =>
        topArtists[dt]![range]!.map((id, i) => {
          const before = day === 0 ? -1 : topArtists[DT1]![range]!.indexOf(id)
          const previous = before === -1 ? null : before + 1
          return {
            time_range: range,
            dt,
            rank: i + 1,
            artist_id: id,
            previous_rank: previous,
            movement:
              previous === null ? 'new' : previous > i + 1 ? 'up' : previous < i + 1 ? 'down' : 'same',
          }
        }),
      ),
    )
    const got = rows.map((r) => ({
      time_range: r.time_range,
      dt: r.dt,
      rank: r.rank,
      artist_id: r.artist_id,
      previous_rank: r.previous_rank,
      movement: r.movement,
    }))
    expect(rows.every((r) => r.account_id === account)).toBe(true)
    const order = (a: (typeof want)[number], b: (typeof want)[number]) =>
      a.time_range.localeCompare(b.time_range) || a.dt.localeCompare(b.dt) || a.rank - b.rank
    expect(got).toEqual([...want].sort(order))
    expect(got.some((r) => r.movement === 'up' || r.movement === 'down')).toBe(true)
  })
})
