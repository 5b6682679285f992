/**
 * @module The view `listens` in DuckDB over real Parquet: one row per real listen, whatever the order in
 * which an export import and the recently_played polls arrived (packages/schemas views.ts, the rule).
 */
import { NO_EXPORT_FIELDS, type PlayRow, playKeyOf, playsTable } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { openLakeOf, type Run, type TableFile } from './support/query-lake.ts'

const EARLY: Run = { dt: '2026-11-20', runId: '20261120T060000000Z-aaaaaa' }
const LATE: Run = { dt: '2026-11-21', runId: '20261121T060000000Z-bbbbbb' }

type Play = Partial<PlayRow> & Pick<PlayRow, 'source' | 'played_at'>

function row(run: Run, play: Play): PlayRow {
  const base = {
    ...NO_EXPORT_FIELDS,
    account_id: 'acc',
    track_id: null,
    context_type: null,
    context_uri: null,
    item_type: 'track',
    ...(play.source === 'recently_played' ? {} : { ms_played: 1000 }),
    ...play,
  }
  return {
    ...base,
    play_key: play.play_key ?? playKeyOf(base),
    _run_id: run.runId,
    _extracted_at: new Date(`${run.dt}T06:00:01Z`),
  } as PlayRow
}

const file = (run: Run, plays: Play[]): TableFile => ({
  table: playsTable,
  run,
  rows: plays.map((p) => row(run, p)),
})

async function listens(files: TableFile[]): Promise<Record<string, unknown>[]> {
  const lake = await openLakeOf(files)
  try {
    const result = await lake.db.query(
      'SELECT source, track_id, track_name, episode_name, played_at, ms_played FROM listens ORDER BY played_at, source, ms_played',
    )
    return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])))
  } finally {
    await lake.close()
  }
}

const at = (iso: string) => new Date(iso)
const exported: Play = {
  source: 'extended_history',
  played_at: at('2026-11-19T10:00:05Z'),
  track_id: 't1',
  track_name: 'Song 1',
  artist_name: 'Night Velvet',
  ms_played: 201000,
}
const polled: Play = { source: 'recently_played', played_at: at('2026-11-19T10:00:07.345Z'), track_id: 't1' }

describe('listens', () => {
  it.each([
    ['the poll first, the import later', [file(EARLY, [polled]), file(LATE, [exported])]],
    ['the import first, the poll later', [file(EARLY, [exported]), file(LATE, [polled])]],
  ])('keeps the export row of a listen a poll saw too (%s)', async (_, files) => {
    expect(await listens(files)).toEqual([
      {
        source: 'extended_history',
        track_id: 't1',
        track_name: 'Song 1',
        episode_name: null,
        played_at: '2026-11-19T10:00:05.000Z',
        ms_played: 201000,
      },
    ])
  })

  it('keeps both when the end times are further apart than the tolerance (10 s), or the tracks differ', async () => {
    const rows = await listens([
      file(EARLY, [exported]),
      file(LATE, [
        { ...polled, played_at: at('2026-11-19T10:00:15.001Z') },
        { ...polled, track_id: 't2', played_at: at('2026-11-19T10:00:06Z') },
      ]),
    ])
    expect(rows.map((r) => [r.source, r.track_id])).toEqual([
      ['extended_history', 't1'],
      ['recently_played', 't2'],
      ['recently_played', 't1'],
    ])
  })

  it('keeps one copy of a key written by two runs (an import repeated, a poll replayed)', async () => {
    const rows = await listens([file(EARLY, [exported, polled]), file(LATE, [exported]), file(LATE, [])])
    expect(rows).toHaveLength(1)
  })

  it('lets extended history win over account data (minute precision), matched by track id or by names', async () => {
    const rows = await listens([
      file(EARLY, [
        {
          source: 'account_data',
          played_at: at('2026-11-19T10:00:00Z'),
          track_id: 't1',
          track_name: 'Song 1',
          artist_name: 'Night Velvet',
          ms_played: 201000,
        },
        {
          source: 'account_data',
          played_at: at('2026-11-19T11:30:00Z'),
          track_name: 'Local',
          artist_name: 'Someone',
          ms_played: 5000,
        },
        {
          source: 'account_data',
          item_type: 'episode',
          played_at: at('2026-11-19T12:00:00Z'),
          episode_name: 'Ep 1',
          episode_show_name: 'Show',
          ms_played: 9000,
        },
      ]),
      file(LATE, [
        exported,
        {
          source: 'extended_history',
          played_at: at('2026-11-19T11:30:41Z'),
          track_name: 'Local',
          artist_name: 'Someone',
          ms_played: 5000,
        },
        {
          source: 'extended_history',
          item_type: 'episode',
          played_at: at('2026-11-19T12:00:30Z'),
          episode_id: 'e1',
          episode_name: 'Ep 1',
          episode_show_name: 'Show',
          ms_played: 9000,
        },
      ]),
    ])
    expect(rows.map((r) => r.source)).toEqual(['extended_history', 'extended_history', 'extended_history'])
  })

  it('never merges two plays of one source, nor unknown content', async () => {
    const unknown: Play = {
      source: 'extended_history',
      item_type: 'unknown',
      played_at: at('2026-11-19T09:00:00Z'),
      ms_played: 0,
    }
    const rows = await listens([
      file(EARLY, [
        exported,
        { ...exported, played_at: at('2026-11-19T10:00:09Z'), ms_played: 3000 },
        unknown,
        { ...unknown, ms_played: 12 },
      ]),
      file(LATE, [{ ...polled, played_at: at('2026-11-19T09:00:01Z'), track_id: 't9' }]),
    ])
    expect(rows.map((r) => [r.source, r.track_id, r.ms_played])).toEqual([
      ['extended_history', null, 0],
      ['extended_history', null, 12],
      ['recently_played', 't9', null],
      ['extended_history', 't1', 201000],
      ['extended_history', 't1', 3000],
    ])
  })
})
