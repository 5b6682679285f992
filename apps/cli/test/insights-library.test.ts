/**
 * @module The saved-library insights over the test lake, against facts read off its declaration by hand
 * (`support/library-lake.ts`), so the oracle of `insights.test.ts` is checked too; and the one query for
 * "what did the library hold on date X" that the saved tables' description promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findInsight } from '../src/query/insights.ts'
import { fixtureFiles, openLakeOf } from './support/query-lake.ts'

let lake: Awaited<ReturnType<typeof openLakeOf>>
const rows = async (sql: string) => {
  const { columns, rows } = await lake.db.query(sql)
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))
}
const insight = async (name: string) => {
  const found = await findInsight({ name })
  if (!found) throw new Error(`no insight ${name}`)
  return rows(found.sql)
}

beforeAll(async () => {
  lake = await openLakeOf(fixtureFiles())
})
afterAll(() => lake?.close())

describe('saved-library insights', () => {
  it('library-growth: items held at the end of each day the library changed, per kind', async () => {
    const growth = await insight('library-growth')
    const at = (day: string) =>
      Object.fromEntries(growth.filter((r) => r.day === day).map((r) => [r.kind, Number(r.items)]))
    expect([...new Set(growth.map((r) => r.day))]).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-05',
      '2026-11-21',
    ])
    // t1 and t2 (saved 23:30 UTC) on Oct 1; both accounts' tracks count together.
    expect(at('2026-10-01')).toEqual({ album: 0, track: 2 })
    expect(at('2026-10-05')).toEqual({ album: 1, track: 4 })
    // Nov 21: t2 and al1 removed, t5, t9 and al3 saved.
    expect(at('2026-11-21')).toEqual({ album: 1, track: 5 })
    expect(Object.keys(growth[0]!)).toEqual(['day', 'kind', 'items'])
  })

  it('saved-but-never-played: held tracks with no play of their own account, newest saves first', async () => {
    const never = await insight('saved-but-never-played')
    // acc1 played t1 (and t4, which it never saved); acc2 played t1 but not its own t4; t2 is removed.
    expect(never.map((r) => [r.account_id, r.track_id])).toEqual([
      ['acc1', 't5'],
      ['acc1', 't9'],
      ['acc1', 't3'],
      ['acc2', 't4'],
    ])
    // t9 was never fetched: no name; t3's name is its latest tracks row's.
    expect(never.find((r) => r.track_id === 't9')).toMatchObject({ track_name: null })
    expect(never.find((r) => r.track_id === 't3')).toMatchObject({ track_name: 'Track t3' })
  })

  it('answers "what did the library hold on X" with one WHERE on saved_library', async () => {
    const heldOn = async (x: string) =>
      (
        await rows(
          `SELECT kind, account_id, item_id FROM saved_library
           WHERE added_at <= TIMESTAMP '${x}' AND (removed_at IS NULL OR removed_at > TIMESTAMP '${x}')
           ORDER BY kind, account_id, item_id`,
        )
      ).map((r) => `${r.kind}:${r.account_id}:${r.item_id}`)
    expect(await heldOn('2026-11-01 00:00:00')).toEqual([
      'album:acc1:al1',
      'track:acc1:t1',
      'track:acc1:t2',
      'track:acc1:t3',
      'track:acc2:t4',
    ])
    expect(await heldOn('2026-11-22 00:00:00')).toEqual([
      'album:acc1:al3',
      'track:acc1:t1',
      'track:acc1:t3',
      'track:acc1:t5',
      'track:acc1:t9',
      'track:acc2:t4',
    ])
    // One row per holding: the removal's row replaced the first one's.
    expect(await rows('SELECT count(*) AS n FROM saved_library')).toEqual([{ n: 8 }])
  })
})
