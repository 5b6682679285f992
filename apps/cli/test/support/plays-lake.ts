/**
 * @module The plays of the test lake, declared by hand: who played which track when. The insights over
 * `plays` must answer from these facts (`PLAYS`), never from the files the runs wrote: one play is in
 * two runs' files (two polls saw it) and must count once.
 */
import { NO_EXPORT_FIELDS, playKeyOf, playsTable } from '@spotify-lake/schemas'

/** A run as query-lake.ts declares it (this file is imported by it, so it names no run itself). */
interface Run {
  dt: string
  runId: string
}

export interface Play {
  account: string
  /** ISO instant, UTC. */
  playedAt: string
  track: string
}

/**
 * Two accounts over two months. 2026-10-31 is a Saturday (ISO weekday 6), 2026-11-02 a Monday (1).
 * t5 is never in the tracks table: its plays have no duration and credit no artist.
 */
export const PLAYS: readonly Play[] = [
  { account: 'alice', playedAt: '2026-10-31T23:59:59.000Z', track: 't1' },
  { account: 'alice', playedAt: '2026-10-31T23:30:00.000Z', track: 't2' },
  { account: 'alice', playedAt: '2026-11-02T00:00:00.000Z', track: 't3' },
  { account: 'alice', playedAt: '2026-11-02T00:10:00.000Z', track: 't1' },
  { account: 'alice', playedAt: '2026-11-02T08:15:00.000Z', track: 't5' },
  { account: 'alice', playedAt: '2026-11-20T08:40:00.123Z', track: 't4' },
  { account: 'bob', playedAt: '2026-11-02T00:05:00.000Z', track: 't6' },
  { account: 'bob', playedAt: '2026-11-02T00:06:00.000Z', track: 't6' },
  { account: 'bob', playedAt: '2026-11-21T17:00:00.000Z', track: 't2' },
  // What saved-but-never-played reads (library-lake.ts holds acc1's and acc2's saved tracks).
  { account: 'acc1', playedAt: '2026-11-19T20:00:00.000Z', track: 't1' },
  { account: 'acc1', playedAt: '2026-11-19T20:04:00.000Z', track: 't4' },
  { account: 'acc2', playedAt: '2026-11-19T21:00:00.000Z', track: 't1' },
]

function playRows(run: Run, plays: readonly Play[]): Record<string, unknown>[] {
  return plays.map((p) => ({
    account_id: p.account,
    played_at: new Date(p.playedAt),
    play_key: playKeyOf({ ...NO_EXPORT_FIELDS, source: 'recently_played', track_id: p.track }),
    track_id: p.track,
    context_type: null,
    context_uri: null,
    source: 'recently_played',
    item_type: 'track',
    ...NO_EXPORT_FIELDS,
    _run_id: run.runId,
    _extracted_at: new Date(`${run.dt}T12:00:00Z`),
  }))
}

/** The plays files of two polls: the second saw the first's last two plays again. */
export function playFiles(first: Run, second: Run) {
  return [
    { table: playsTable, run: first, rows: playRows(first, PLAYS.slice(0, 7)) },
    { table: playsTable, run: second, rows: playRows(second, PLAYS.slice(5)) },
  ]
}
