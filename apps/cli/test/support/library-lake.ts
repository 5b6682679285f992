/**
 * @module The test lake's saved library (tables `saved_tracks`, `saved_albums`), and the expected
 * answers of the insights over it and the test lake's plays (`plays-lake.ts`: acc1 played t1 and t4,
 * which it never saved; acc2 played t1, not its own t4). A holding's first row comes from run A; run C saw
 * some gone (a second row with `removed_at`) and new saves. Declared by hand: `HOLDINGS` is the fact
 * the oracle answers from, and the rows are derived from it.
 */
import { savedAlbumsTable, savedTracksTable } from '@spotify-lake/schemas'
import { PLAYS, type Play } from './plays-lake.ts'

/** A run of the test lake (`query-lake.ts` passes its runs A and C in: no import back, no cycle). */
interface Run {
  dt: string
  runId: string
}
type LibraryFile = {
  table: typeof savedTracksTable | typeof savedAlbumsTable
  run: Run
  rows: Record<string, unknown>[]
}

/** One holding: its account, kind, item, when saved, and when (if ever) run C saw it gone. */
export interface Holding {
  account: string
  kind: 'track' | 'album'
  id: string
  addedAt: string
  removedAt: string | null
}

/** Saved before run A (Nov 20): A saw it first; otherwise run C did. */
const savedBeforeA = (holding: Holding): boolean => holding.addedAt < '2026-11-20'

const REMOVED = '2026-11-21T18:00:00.000Z'
const h = (
  account: string,
  kind: Holding['kind'],
  id: string,
  addedAt: string,
  removedAt: string | null = null,
) => ({
  account,
  kind,
  id,
  addedAt,
  removedAt,
})

export const HOLDINGS: Holding[] = [
  h('acc1', 'track', 't1', '2026-10-01T10:00:00.000Z'),
  // Saved late on Oct 1 (UTC), removed on Nov 21: held on the days between.
  h('acc1', 'track', 't2', '2026-10-01T23:30:00.000Z', REMOVED),
  h('acc1', 'track', 't3', '2026-10-05T00:00:00.000Z'),
  h('acc2', 'track', 't4', '2026-10-03T12:00:00.000Z'),
  // Run C's new saves: t9 is no track the lake has fetched.
  h('acc1', 'track', 't5', '2026-11-21T17:00:00.000Z'),
  h('acc1', 'track', 't9', '2026-11-21T17:00:00.000Z'),
  h('acc1', 'album', 'al1', '2026-10-02T08:00:00.000Z', REMOVED),
  h('acc1', 'album', 'al3', '2026-11-21T09:00:00.000Z'),
]

const lineage = (run: Run) => ({ _run_id: run.runId, _extracted_at: new Date(`${run.dt}T06:00:00.000Z`) })

function savedRow(holding: Holding, removedAt: string | null, run: Run) {
  return {
    account_id: holding.account,
    [holding.kind === 'track' ? 'track_id' : 'album_id']: holding.id,
    added_at: new Date(holding.addedAt),
    removed_at: removedAt === null ? null : new Date(removedAt),
    ...lineage(run),
  }
}

/** The rows as the transformer writes them: first sight in its run, the removal in run C. */
export function libraryFiles({ RUN_A, RUN_C }: { RUN_A: Run; RUN_C: Run }): LibraryFile[] {
  const seenBy = (holding: Holding) => (savedBeforeA(holding) ? RUN_A : RUN_C)
  const files: LibraryFile[] = []
  for (const [kind, table] of [
    ['track', savedTracksTable],
    ['album', savedAlbumsTable],
  ] as const) {
    for (const run of [RUN_A, RUN_C]) {
      const rows = HOLDINGS.filter((x) => x.kind === kind).flatMap((x) => [
        ...(seenBy(x) === run ? [savedRow(x, null, run)] : []),
        ...(run === RUN_C && x.removedAt !== null ? [savedRow(x, x.removedAt, run)] : []),
      ])
      if (rows.length > 0) files.push({ table, run, rows })
    }
  }
  return files
}

const day = (iso: string) => iso.slice(0, 10)
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null)

type FileRow = Record<string, unknown>

/**
 * The holdings and plays in a set of files (the test lake, or part of it): per holding its last
 * observation (by run), as the lake's rule says; what `HOLDINGS` and `PLAYS` declare for the whole lake.
 */
export function libraryOf(rows: (table: string) => FileRow[]): {
  holdings: Holding[]
  plays: readonly Play[]
} {
  const latest = new Map<string, { run: string; holding: Holding }>()
  for (const [table, kind, idColumn] of [
    ['saved_tracks', 'track', 'track_id'],
    ['saved_albums', 'album', 'album_id'],
  ] as const) {
    for (const r of rows(table)) {
      const holding: Holding = {
        account: r.account_id as string,
        kind,
        id: r[idColumn] as string,
        addedAt: iso(r.added_at)!,
        removedAt: iso(r.removed_at),
      }
      const key = `${kind}:${holding.account}:${holding.id}:${holding.addedAt}`
      const run = r._run_id as string
      const seen = latest.get(key)
      if (!seen || seen.run < run) latest.set(key, { run, holding })
    }
  }
  const plays = rows('plays').map((r) => ({
    account: r.account_id as string,
    track: r.track_id as string,
    playedAt: iso(r.played_at)!,
  }))
  return { holdings: [...latest.values()].map((v) => v.holding), plays }
}

/** `library-growth`: items held at the end of each day the library changed, per kind. */
export function libraryGrowth(holdings: readonly Holding[] = HOLDINGS): Record<string, unknown>[] {
  const days = [
    ...new Set(holdings.flatMap((x) => [day(x.addedAt), ...(x.removedAt ? [day(x.removedAt)] : [])])),
  ].sort()
  const kinds = [...new Set(holdings.map((x) => x.kind))].sort()
  return days.flatMap((d) =>
    kinds.map((kind) => ({
      day: d,
      kind,
      items: holdings.filter(
        (x) => x.kind === kind && day(x.addedAt) <= d && (x.removedAt === null || day(x.removedAt) > d),
      ).length,
    })),
  )
}

/** `saved-but-never-played`: held tracks without a play of their account, newest saves first. */
export function savedButNeverPlayed(
  latestTrack: (id: string) => { name: unknown; artist_names: unknown } | undefined,
  { holdings, plays }: { holdings: readonly Holding[]; plays: readonly Play[] } = {
    holdings: HOLDINGS,
    plays: PLAYS,
  },
): Record<string, unknown>[] {
  return holdings
    .filter(
      (x) =>
        x.kind === 'track' &&
        x.removedAt === null &&
        !plays.some((p) => p.account === x.account && p.track === x.id),
    )
    .sort(
      (a, b) =>
        b.addedAt.localeCompare(a.addedAt) || a.account.localeCompare(b.account) || a.id.localeCompare(b.id),
    )
    .map((x) => ({
      account_id: x.account,
      track_id: x.id,
      track_name: latestTrack(x.id)?.name ?? null,
      artist_names: latestTrack(x.id)?.artist_names ?? null,
      added_at: x.addedAt,
    }))
}
