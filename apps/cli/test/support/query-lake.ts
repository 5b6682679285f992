/**
 * @module Test lake for `lake query`: known rows in every table over three dts, written as real Parquet.
 * Complete runs (A; B then C on one dt) and partial ones (D after C on that dt; E, the only run of the
 * next dt): the facts the insights must answer from (`DAYS`, `SNAPSHOT_ITEMS`) are declared here by
 * hand, never derived from the runs by the rule the SQL applies. Plays are declared in plays-lake.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  type AnyLakeTable,
  albumsTable,
  artistsTable,
  LAKE_TABLE_NAMES,
  lakeKeys,
  playlistItemsTable,
  playlistsTable,
  runTablesTable,
  tablesOfFolder,
  toParquetColumnData,
  toParquetSchema,
  topArtistsTable,
  topTracksTable,
  tracksTable,
} from '@spotify-lake/schemas'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { type LakeDb, openLakeDb } from '../../src/query/duckdb.ts'
import { libraryFiles } from './library-lake.ts'
import { playFiles } from './plays-lake.ts'

export interface Run {
  dt: string
  runId: string
}

/** dt1 has one run; dt2 has B then C (both complete) and D (partial, the latest); dt3 only E (partial). */
export const RUN_A: Run = { dt: '2026-11-20', runId: '20261120T060000000Z-aaaaaa' }
export const RUN_B: Run = { dt: '2026-11-21', runId: '20261121T060000000Z-bbbbbb' }
export const RUN_C: Run = { dt: '2026-11-21', runId: '20261121T180000000Z-cccccc' }
/** Killed mid-way, then replayed: it saw p1 change again (s1d) but got only part of its items. */
export const RUN_D: Run = { dt: '2026-11-21', runId: '20261121T230000000Z-dddddd' }
/** Killed mid-way the next day, then replayed: the newest run of the lake, and partial. */
export const RUN_E: Run = { dt: '2026-11-22', runId: '20261122T060000000Z-eeeeee' }
export const RUNS = [RUN_A, RUN_B, RUN_C, RUN_D, RUN_E] as const
/** Runs whose `run_tables` rows say incomplete (every table). */
export const PARTIAL_RUNS: ReadonlySet<string> = new Set([RUN_D.runId, RUN_E.runId])

type Row = Record<string, unknown>

export interface TableFile {
  table: AnyLakeTable | typeof runTablesTable
  run: Run
  rows: Row[]
}

/** Catalog facts the rows are built from (and the expectations computed from). */
export const TRACKS: Record<string, { album: string; artists: string[]; explicit: boolean }> = {
  t1: { album: 'al1', artists: ['ar1', 'ar2'], explicit: true },
  t2: { album: 'al2', artists: ['ar2'], explicit: false },
  t3: { album: 'al2', artists: ['ar3'], explicit: false },
  t4: { album: 'al3', artists: ['ar1'], explicit: true },
  t5: { album: 'al1', artists: ['ar3'], explicit: false },
  t6: { album: 'al9', artists: ['ar2'], explicit: false },
}
export const ALBUMS: Record<string, { date: string; precision: 'year' | 'month' | 'day' }> = {
  al1: { date: '2020-05-01', precision: 'day' },
  al2: { date: '1999', precision: 'year' },
  al3: { date: '2024-03', precision: 'month' },
}
export const ARTIST_NAMES: Record<string, string> = { ar1: 'One', ar2: 'Two', ar3: 'Three' }

export type Item = string | { local: string }

/** A playlist as a run saw it: snapshot and total (its items are in `SNAPSHOT_ITEMS` or `WRITTEN_ITEMS`). */
export interface PlaylistState {
  id: string
  name: string
  snapshot: string
  itemsTotal: number
}

/** The content of each snapshot, as complete runs extracted it. s6c's never made it (its unit failed: 403). */
export const SNAPSHOT_ITEMS: Record<string, Item[]> = {
  s1a: ['t1', 't2', 't3'],
  s1b: ['t1', 't2', 't4'],
  s1c: ['t1', 't4', 't5', 't1', { local: 'My Demo' }],
  s2a: ['t2', 't6'],
  s3a: ['t3'],
  s4c: [],
  s5a: ['t6'],
  s5c: [],
  s6a: ['t2'],
}

const DAY_1: PlaylistState[] = [
  { id: 'p1', name: 'Road Trip', snapshot: 's1a', itemsTotal: 3 },
  { id: 'p2', name: 'Chill', snapshot: 's2a', itemsTotal: 2 },
  { id: 'p3', name: 'Old', snapshot: 's3a', itemsTotal: 1 },
  { id: 'p5', name: 'Emptied', snapshot: 's5a', itemsTotal: 1 },
  { id: 'p6', name: 'Half Done', snapshot: 's6a', itemsTotal: 1 },
]
const DAY_2: PlaylistState[] = [
  { id: 'p1', name: 'Road Trip', snapshot: 's1c', itemsTotal: 5 },
  { id: 'p2', name: 'Chill', snapshot: 's2a', itemsTotal: 2 },
  { id: 'p4', name: 'Empty', snapshot: 's4c', itemsTotal: 0 },
  // Emptied since day 1: a new snapshot with no items to write.
  { id: 'p5', name: 'Emptied', snapshot: 's5c', itemsTotal: 0 },
  // Changed, but its items never made it into the lake: no known content.
  { id: 'p6', name: 'Half Done', snapshot: 's6c', itemsTotal: 1 },
]

/**
 * The user's playlists at the end of each day, as the complete runs saw them: what every insight about
 * "playlists on a day" and "current playlists" must answer from. The partial runs' days are not here.
 */
export const DAYS: Record<string, PlaylistState[]> = { [RUN_A.dt]: DAY_1, [RUN_C.dt]: DAY_2 }

/** Per run: the playlists it wrote, and the items it wrote for each (none: unchanged snapshot, or not got). */
export const PLAYLISTS: Record<string, (PlaylistState & { items?: Item[] })[]> = {
  [RUN_A.runId]: DAY_1.map((p) => ({ ...p, items: SNAPSHOT_ITEMS[p.snapshot] })),
  [RUN_B.runId]: [
    { id: 'p1', name: 'Road Trip', snapshot: 's1b', itemsTotal: 3, items: SNAPSHOT_ITEMS.s1b },
    // Unchanged, but re-extracted (a forced run): the same snapshot's items twice in the lake.
    { id: 'p2', name: 'Chill', snapshot: 's2a', itemsTotal: 2, items: SNAPSHOT_ITEMS.s2a },
  ],
  [RUN_C.runId]: DAY_2.map((p) => ({
    ...p,
    // p2 is unchanged (no items written); p6's items never arrived.
    ...(p.id === 'p1' ? { items: SNAPSHOT_ITEMS.s1c } : {}),
  })),
  [RUN_D.runId]: [
    { id: 'p1', name: 'Road Trip', snapshot: 's1d', itemsTotal: 6, items: ['t4', 't5'] },
    { id: 'p2', name: 'Chill', snapshot: 's2a', itemsTotal: 2 },
  ],
  [RUN_E.runId]: [
    // s1c again, but only the first two of its five items before the run was killed.
    { id: 'p1', name: 'Road Trip', snapshot: 's1c', itemsTotal: 5, items: ['t1', 't4'] },
    { id: 'p2', name: 'Chill', snapshot: 's2a', itemsTotal: 2 },
  ],
}

/** An artist only the top lists name (not in the catalog rows above). */
export const TOP_ARTIST_NAMES: Record<string, string> = { ...ARTIST_NAMES, ar4: 'Four' }

/** Per account and time range, the artists in rank order (rank 1 first). */
export type TopLists = Record<string, Record<string, string[]>>

/**
 * The top artists of each day, as the complete runs saw them (the latest complete run of the dt): what
 * `top-artists-over-time` must answer from. acc2 appears on day 2 only; the partial runs' lists are not here.
 */
export const TOP_DAYS: Record<string, TopLists> = {
  [RUN_A.dt]: { acc1: { short_term: ['ar1', 'ar2', 'ar3'], long_term: ['ar2', 'ar1'] } },
  [RUN_C.dt]: {
    acc1: { short_term: ['ar3', 'ar1', 'ar4'], long_term: ['ar2', 'ar1'] },
    acc2: { medium_term: ['ar1'] },
  },
}

/** Per run: the top lists it wrote. B is superseded by C on its dt; D and E are partial. */
const TOP_WRITTEN: Record<string, TopLists> = {
  [RUN_A.runId]: TOP_DAYS[RUN_A.dt]!,
  [RUN_B.runId]: { acc1: { short_term: ['ar2', 'ar1', 'ar3'], long_term: ['ar1', 'ar2'] } },
  [RUN_C.runId]: TOP_DAYS[RUN_C.dt]!,
  [RUN_D.runId]: { acc1: { short_term: ['ar1', 'ar2'] } },
  [RUN_E.runId]: { acc1: { short_term: ['ar4', 'ar1'], long_term: ['ar1'] } },
}

/**
 * The top tracks stand in for the top artists in the same lists (so the runs' choice is the same): the
 * track each artist's list slot names. t7 is only in the top lists.
 */
export const TOP_TRACK_OF: Record<string, string> = { ar1: 't1', ar2: 't2', ar3: 't3', ar4: 't7' }
export const TOP_TRACK_NAMES: Record<string, string> = {
  t1: 'Song 1',
  t2: 'Song 2',
  t3: 'Song 3',
  t7: 'Song 7',
}

function topTrackRows(run: Run): Row[] {
  return Object.entries(TOP_WRITTEN[run.runId] ?? {}).flatMap(([account, ranges]) =>
    Object.entries(ranges).flatMap(([range, ids]) =>
      ids.map((artist, i) => {
        const id = TOP_TRACK_OF[artist]!
        return {
          account_id: account,
          time_range: range,
          rank: i + 1,
          track_id: id,
          track_name: TOP_TRACK_NAMES[id]!,
          artist_ids: [artist],
          artist_names: [TOP_ARTIST_NAMES[artist]!],
          ...lineage(run),
        }
      }),
    ),
  )
}

function topArtistRows(run: Run): Row[] {
  return Object.entries(TOP_WRITTEN[run.runId] ?? {}).flatMap(([account, ranges]) =>
    Object.entries(ranges).flatMap(([range, ids]) =>
      ids.map((id, i) => ({
        account_id: account,
        time_range: range,
        rank: i + 1,
        artist_id: id,
        artist_name: TOP_ARTIST_NAMES[id]!,
        ...lineage(run),
      })),
    ),
  )
}

/** Genres per run: run C's are the latest; ar3 lost its run A genre since. */
const GENRES_A: Record<string, string[]> = { ar1: [], ar2: [], ar3: ['folk'] }
const GENRES_C: Record<string, string[]> = { ar1: ['indie', 'rock'], ar2: ['rock'], ar3: [] }

const at = (run: Run) => new Date(`${run.dt}T12:00:00Z`)
const lineage = (run: Run) => ({ _run_id: run.runId, _extracted_at: at(run) })

function playlistRows(run: Run): Row[] {
  return (PLAYLISTS[run.runId] ?? []).map((p) => ({
    playlist_id: p.id,
    name: p.name,
    description: null,
    uri: `spotify:playlist:${p.id}`,
    snapshot_id: p.snapshot,
    owner_id: 'me',
    owner_display_name: 'Me',
    public: true,
    collaborative: false,
    items_total: p.itemsTotal,
    followers: null,
    image_url: null,
    ...lineage(run),
  }))
}

function itemRows(run: Run): Row[] {
  return (PLAYLISTS[run.runId] ?? []).flatMap((p) =>
    (p.items ?? []).map((item, position) => {
      const base = {
        playlist_id: p.id,
        position,
        snapshot_id: p.snapshot,
        added_at: at(run),
        ...lineage(run),
      }
      if (typeof item !== 'string') {
        return {
          ...base,
          item_type: 'local',
          item_id: null,
          item_uri: `spotify:local:${item.local}`,
          item_name: item.local,
          duration_ms: 1000,
          album_id: null,
          artist_ids: [],
          artist_names: ['Me'],
          is_local: true,
          added_by_id: 'me',
        }
      }
      const track = TRACKS[item]!
      return {
        ...base,
        item_type: 'track',
        item_id: item,
        item_uri: `spotify:track:${item}`,
        item_name: `Track ${item}`,
        duration_ms: 200_000,
        album_id: track.album,
        artist_ids: track.artists,
        artist_names: track.artists.map((a) => ARTIST_NAMES[a]!),
        is_local: false,
        added_by_id: 'me',
      }
    }),
  )
}

/**
 * The tables the test lake's daily runs' units write: the playlists, their catalog and the top lists (not
 * plays, which polls write, nor the saved library, which the runs here do not check).
 */
const PLAYLIST_RUN_TABLES: ReadonlySet<string> = new Set(
  (['playlists', 'tracks', 'albums', 'artists', 'top_items'] as const).flatMap((folder) =>
    tablesOfFolder(folder),
  ),
)

/**
 * What the transformer writes at finalize: whether each table of the run is complete (the fixture's
 * fact). These are daily runs (playlists and the user's snapshots): no unit of theirs extracts plays, so
 * they never count for `plays`.
 */
function runTableRows(run: Run): Row[] {
  const partial = PARTIAL_RUNS.has(run.runId)
  return LAKE_TABLE_NAMES.map((table) => ({
    table_name: table,
    run_status: partial ? 'partial' : 'succeeded',
    complete: !partial && PLAYLIST_RUN_TABLES.has(table),
    incomplete_reason: !PLAYLIST_RUN_TABLES.has(table)
      ? 'no unit of the run extracts it'
      : partial
        ? 'unit playlist:p1:1 is pending'
        : null,
    rows_written: 0,
    rows_rejected: 0,
    ...lineage(run),
  }))
}

function trackRows(run: Run, ids: string[], explicit: (id: string) => boolean): Row[] {
  return ids.map((id, i) => ({
    track_id: id,
    name: `Track ${id}`,
    uri: `spotify:track:${id}`,
    duration_ms: 200_000,
    explicit: explicit(id),
    isrc: null,
    album_id: TRACKS[id]!.album,
    album_name: `Album ${TRACKS[id]!.album}`,
    disc_number: 1,
    track_number: i + 1,
    artist_ids: TRACKS[id]!.artists,
    artist_names: TRACKS[id]!.artists.map((a) => ARTIST_NAMES[a]!),
    is_playable: null,
    popularity: null,
    ...lineage(run),
  }))
}

function albumRows(run: Run, ids: string[], name = (id: string) => `Album ${id}`): Row[] {
  return ids.map((id) => ({
    album_id: id,
    name: name(id),
    uri: `spotify:album:${id}`,
    album_type: 'album',
    total_tracks: 10,
    release_date: ALBUMS[id]!.date,
    release_date_precision: ALBUMS[id]!.precision,
    release_year: Number(ALBUMS[id]!.date.slice(0, 4)),
    upc: null,
    label: null,
    artist_ids: ['ar1'],
    artist_names: ['One'],
    genres: [],
    popularity: null,
    image_url: null,
    ...lineage(run),
  }))
}

function artistRows(run: Run, genres: (id: string) => string[]): Row[] {
  return Object.keys(ARTIST_NAMES).map((id) => ({
    artist_id: id,
    name: ARTIST_NAMES[id]!,
    uri: `spotify:artist:${id}`,
    genres: genres(id),
    popularity: null,
    followers: null,
    image_url: null,
    ...lineage(run),
  }))
}

/**
 * Every file of the test lake. Run A's tracks carry a stale `explicit` for t1 (false) and its albums
 * stale names, which run C corrects; t5 is never in the tracks table; album al9 never in albums.
 */
export function fixtureFiles(): TableFile[] {
  const files: TableFile[] = []
  for (const run of RUNS) {
    files.push({ table: playlistsTable, run, rows: playlistRows(run) })
    const items = itemRows(run)
    if (items.length > 0) files.push({ table: playlistItemsTable, run, rows: items })
    files.push({ table: runTablesTable, run, rows: runTableRows(run) })
    files.push({ table: topArtistsTable, run, rows: topArtistRows(run) })
    files.push({ table: topTracksTable, run, rows: topTrackRows(run) })
  }
  files.push({
    table: tracksTable,
    run: RUN_A,
    rows: trackRows(RUN_A, ['t1', 't2', 't3', 't6'], () => false),
  })
  files.push({
    table: tracksTable,
    run: RUN_C,
    rows: trackRows(RUN_C, ['t1', 't4'], (id) => TRACKS[id]!.explicit),
  })
  files.push({
    table: albumsTable,
    run: RUN_A,
    rows: albumRows(RUN_A, ['al1', 'al2'], (id) => `Album ${id} (before a rename)`),
  })
  files.push({ table: albumsTable, run: RUN_C, rows: albumRows(RUN_C, ['al1', 'al3']) })
  files.push({ table: artistsTable, run: RUN_A, rows: artistRows(RUN_A, (id) => GENRES_A[id]!) })
  files.push({ table: artistsTable, run: RUN_C, rows: artistRows(RUN_C, (id) => GENRES_C[id]!) })
  files.push(...playFiles(RUN_A, RUN_C))
  files.push(...libraryFiles({ RUN_A, RUN_C }))
  return files
}

export function keyOf(file: TableFile): string {
  return lakeKeys.table({ table: file.table.name, dt: file.run.dt, runId: file.run.runId })
}

/** Parquet bytes with the derived schema, rows validated by the table's row schema first. */
export function toParquet(file: TableFile): Uint8Array {
  const rows = file.rows.map((row) => file.table.rowSchema.parse(row))
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: toParquetColumnData(file.table, rows),
      schema: toParquetSchema(file.table),
    }),
  )
}

export async function writeFixture(store: LakeStore, files: TableFile[] = fixtureFiles()): Promise<void> {
  for (const file of files) await store.put(keyOf(file), toParquet(file))
}

/** A `run_tables` file saying `run` is complete (and succeeded) for each table, with its row count. */
export function completeRunTables(run: Run, rowsWritten: Partial<Record<string, number>>): TableFile {
  return {
    table: runTablesTable,
    run,
    rows: Object.entries(rowsWritten).map(([table_name, rows_written]) => ({
      table_name,
      run_status: 'succeeded',
      complete: true,
      incomplete_reason: null,
      rows_written,
      rows_rejected: 0,
      ...lineage(run),
    })),
  }
}

/** Writes `files` as real Parquet under a fresh temporary folder and opens DuckDB over it. */
export async function openLakeOf(
  files: readonly TableFile[],
): Promise<{ db: LakeDb; close(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'lake-query-test-'))
  for (const file of files) {
    const path = join(root, keyOf(file))
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, toParquet(file))
  }
  const db = await openLakeDb({ root })
  return {
    db,
    close: async () => {
      db.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}
