/** @module Every insight answers exactly what its definition says over a known lake in a real S3 server. */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { LAKE_TABLE_NAMES } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { listInsights } from '../src/query/insights.ts'
import { captureIo } from './support/capture.ts'
import { fixtureFiles, RUN_A, RUN_C, RUN_D, RUN_E, writeFixture } from './support/query-lake.ts'
import { INSIGHT_NAMES, Oracle } from './support/query-oracle.ts'

let s3: LocalS3
let cache: string

const envOf = (s: LocalS3) => ({
  LAKE_S3_ENDPOINT: s.endpoint,
  LAKE_S3_BUCKET: s.bucket,
  LAKE_S3_ACCESS_KEY_ID: s.accessKeyId,
  LAKE_S3_SECRET_ACCESS_KEY: s.secretAccessKey,
})

async function query(argv: string[]): Promise<Record<string, unknown>[]> {
  const io = captureIo()
  const command = createQueryCommand({ env: envOf(s3) })
  const code = await runLake({
    argv: ['query', ...argv, '--format', 'json', '--cache', cache],
    io,
    commands: [command],
  })
  expect(io.err()).not.toMatch(/lake query: (?!synced)/)
  expect(code).toBe(0)
  return JSON.parse(io.out())
}

const insight = (name: string) => query(['--insight', name])

beforeAll(async () => {
  s3 = await startS3rver()
  cache = await mkdtemp(join(tmpdir(), 'lake-insights-'))
  await writeFixture(createLakeStore({ ...s3, style: 'path' }))
})

afterAll(async () => {
  await s3?.close()
  await rm(cache, { recursive: true, force: true })
})

describe('insights over the test lake', () => {
  const oracle = new Oracle()

  it('covers every insight file, and the oracle covers every insight', async () => {
    expect((await listInsights()).map((i) => i.name)).toEqual([...INSIGHT_NAMES])
  })

  it.each(INSIGHT_NAMES)('%s returns the expected rows', async (name) => {
    const expected = oracle[name]()
    const actual = await insight(name)
    expect(actual).toEqual(expected)
  })

  // Guards on the oracle itself: facts of the fixture, read off its declaration by hand.
  it('uses the latest run of a dt: run B (superseded in the same dt) leaves no trace', async () => {
    const changes = await insight('playlist-changes')
    expect(changes.filter((r) => r.playlist_id === 'p1')).toEqual(
      [
        ['added', 't4'],
        ['added', 't5'],
        ['removed', 't2'],
        ['removed', 't3'],
      ].map(([change_type, item_id]) => expect.objectContaining({ change_type, item_id, dt: RUN_C.dt })),
    )
    expect(JSON.stringify(changes)).not.toContain('s1b')
    // An emptied playlist lost its track; a snapshot whose items never arrived is no step at all.
    expect(changes.filter((r) => r.playlist_id === 'p5')).toEqual([
      expect.objectContaining({ change_type: 'removed', item_id: 't6', snapshot_id: 's5c' }),
    ])
    expect(changes.filter((r) => r.playlist_id === 'p6')).toEqual([])
    const sizes = await insight('playlist-size-over-time')
    expect(
      sizes.filter((r) => r.playlist_id === 'p1').map((r) => [r.dt, r.items_total, r.items_change]),
    ).toEqual([
      [RUN_A.dt, 3, null],
      [RUN_C.dt, 5, 2],
    ])
  })

  it('never lets a partial run replace a complete one: D (latest of its dt) and E (only run of its dt)', async () => {
    const sizes = await insight('playlist-size-over-time')
    expect([...new Set(sizes.map((r) => r.dt))]).toEqual([RUN_A.dt, RUN_C.dt])
    expect(JSON.stringify(sizes)).not.toContain('s1d')
    // p1 still has its five items from run C, not the two that the killed runs got.
    const top = await insight('top-artists')
    expect(top.find((r) => r.artist_id === 'ar1')).toMatchObject({ item_count: 3, track_count: 2 })
    // Their rows are queryable in the tables themselves, and run_tables says why they do not count.
    const partial = await query([
      `SELECT "_run_id" AS run_id, count(*) AS items FROM playlist_items WHERE "_run_id" IN ('${RUN_D.runId}', '${RUN_E.runId}') GROUP BY 1 ORDER BY 1`,
    ])
    expect(partial).toEqual([
      { run_id: RUN_D.runId, items: 2 },
      { run_id: RUN_E.runId, items: 2 },
    ])
    expect(await query(['SELECT table_name, dt, run_id FROM latest_complete_runs ORDER BY 1, 2'])).toEqual(
      // Every table the fixture's runs say complete: no unit of theirs extracts plays, follows or the saved library.
      [
        ...LAKE_TABLE_NAMES.filter(
          (t) => t !== 'plays' && t !== 'followed_artists' && !t.startsWith('saved_'),
        ),
      ]
        .sort()
        .flatMap((table_name) =>
          [RUN_A, RUN_C].map((run) => ({ table_name, dt: run.dt, run_id: run.runId })),
        ),
    )
  })

  it('takes current items by snapshot: an unchanged playlist keeps its older items, an unfollowed one drops out', async () => {
    const shares = await insight('explicit-share')
    expect(shares.map((r) => r.playlist_id)).toEqual(['p1', 'p2', 'p4', 'p5', 'p6'])
    // p2's items were written only by run A; its snapshot is still current in run C.
    expect(shares.find((r) => r.playlist_id === 'p2')).toMatchObject({ track_count: 2 })
    // p4 is empty: no tracks, and a NULL share rather than a division by zero.
    expect(shares.find((r) => r.playlist_id === 'p4')).toMatchObject({ track_count: 0, explicit_share: null })
    // t1 was explicit=false in run A and true in run C: the latest row wins; t5 is not in tracks.
    expect(shares.find((r) => r.playlist_id === 'p1')).toMatchObject({
      track_count: 3,
      explicit_count: 2,
      unknown_count: 1,
    })
  })

  it("counts genres only from the latest artists rows (run A's folk is gone)", async () => {
    expect(await insight('genre-mix')).toEqual([
      expect.objectContaining({ genre: 'rock' }),
      expect.objectContaining({ genre: 'indie' }),
    ])
  })

  it('top-artists-over-time: ranks from the latest complete run of each dt, movement against the previous snapshot', async () => {
    const rows = await insight('top-artists-over-time')
    // Run B (superseded on its dt), D and E (partial) leave no trace: two days, as declared.
    expect([...new Set(rows.map((r) => r.dt))]).toEqual([RUN_A.dt, RUN_C.dt])
    const day2 = rows.filter(
      (r) => r.account_id === 'acc1' && r.time_range === 'short_term' && r.dt === RUN_C.dt,
    )
    expect(day2.map((r) => [r.rank, r.artist_id, r.previous_rank, r.rank_change, r.movement])).toEqual([
      [1, 'ar3', 3, 2, 'up'],
      [2, 'ar1', 1, -1, 'down'],
      [3, 'ar4', null, null, 'new'],
    ])
    // A first snapshot is all new; an unchanged list is all the same.
    expect(rows.filter((r) => r.account_id === 'acc2').map((r) => r.movement)).toEqual(['new'])
    expect(
      rows.filter((r) => r.time_range === 'long_term' && r.dt === RUN_C.dt).map((r) => r.movement),
    ).toEqual(['same', 'same'])
  })

  it('top-tracks-over-time: the same rule over top_tracks, with each track and its artists', async () => {
    const rows = await insight('top-tracks-over-time')
    expect([...new Set(rows.map((r) => r.dt))]).toEqual([RUN_A.dt, RUN_C.dt])
    const day2 = rows.filter(
      (r) => r.account_id === 'acc1' && r.time_range === 'short_term' && r.dt === RUN_C.dt,
    )
    expect(day2.map((r) => [r.rank, r.track_id, r.track_name, r.previous_rank, r.movement])).toEqual([
      [1, 't3', 'Song 3', 3, 'up'],
      [2, 't1', 'Song 1', 1, 'down'],
      [3, 't7', 'Song 7', null, 'new'],
    ])
    expect(day2[2]?.artist_names).toEqual(['Four'])
  })

  it('runs every insight without error over a lake in development mode (no genres anywhere)', async () => {
    const files = fixtureFiles().map((f) =>
      f.table.name === 'artists' ? { ...f, rows: f.rows.map((r) => ({ ...r, genres: [] })) } : f,
    )
    const dev = await startS3rver()
    const devCache = await mkdtemp(join(tmpdir(), 'lake-insights-dev-'))
    try {
      await writeFixture(createLakeStore({ ...dev, style: 'path' }), files)
      const io = captureIo()
      const code = await runLake({
        argv: ['query', '--insight', 'genre-mix', '--format', 'json', '--cache', devCache],
        io,
        commands: [createQueryCommand({ env: envOf(dev) })],
      })
      expect(code).toBe(0)
      expect(JSON.parse(io.out())).toEqual([])
      expect(new Oracle(files)['genre-mix']()).toEqual([])
    } finally {
      await dev.close()
      await rm(devCache, { recursive: true, force: true })
    }
  })
})

describe('the insights over plays', () => {
  it('count a play two polls saw once, and give a play of a track missing from tracks no minutes', async () => {
    // Read off plays-lake.ts by hand: alice played t4 once on 2026-11-20 (runs A and C both hold it);
    // on 2026-11-02 she played t3, t1 and t5, and t5 is not in tracks.
    const days = await insight('listening-minutes-per-day')
    expect(days.find((r) => r.play_date === '2026-11-20' && r.account_id === 'alice')).toEqual({
      play_date: '2026-11-20',
      account_id: 'alice',
      plays: 1,
      minutes: 3.33,
      plays_without_duration: 0,
    })
    expect(days.find((r) => r.play_date === '2026-11-02' && r.account_id === 'alice')).toMatchObject({
      plays: 3,
      minutes: 6.67,
      plays_without_duration: 1,
    })
    // 2026-11-02 was a Monday: ISO weekday 1, hour 0 in UTC.
    const cells = await insight('listening-heatmap')
    expect(cells.find((r) => r.account_id === 'bob' && r.weekday === 1 && r.hour === 0)).toMatchObject({
      plays: 2,
    })
    const months = await insight('new-artists-per-month')
    // ar2 (t1, t2) and ar1 (t1) in October; ar3 (t3) new in November, ar1 (t4) again.
    expect(months.filter((r) => r.account_id === 'alice')).toEqual([
      { month: '2026-10-01', account_id: 'alice', new_artists: 2, artists_played: 2 },
      { month: '2026-11-01', account_id: 'alice', new_artists: 1, artists_played: 3 },
    ])
  })

  it("take a play's ms_played over its track's duration where the lake has it", async () => {
    // The heard CTE (over the view listens) is the one place a play's length comes from: the test lake's
    // plays are polls (ms_played null), so give every play one minute there, as an export row has it.
    for (const name of ['listening-minutes-per-day', 'listening-heatmap']) {
      const sql = (await listInsights()).find((i) => i.name === name)!.sql
      const timed = sql.replace(
        'SELECT account_id, played_at, track_id, ms_played\n  FROM listens',
        'SELECT account_id, played_at, track_id, CAST(60000 AS BIGINT) AS ms_played\n  FROM listens',
      )
      expect(timed, name).not.toBe(sql)
      const rows = await query([timed])
      expect(rows.length, name).toBeGreaterThan(0)
      for (const row of rows) expect(row.minutes, name).toBe(row.plays)
    }
  })
})
