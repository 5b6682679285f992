/**
 * @module The current_playlist_tracks view when Spotify sent no snapshot_id: the playlist and its items both
 * carry NULL, and `NULL = NULL` is not true in SQL, so an equality join would drop every item of such a
 * playlist. The view joins with `IS NOT DISTINCT FROM` (DuckDB and Trino both have it); a changed snapshot
 * still keeps the older snapshot's items out. DuckDB runs it here over real Parquet files.
 */
import { playlistItemsTable, playlistsTable } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LakeDb } from '../src/query/duckdb.ts'
import { completeRunTables, openLakeOf, type Run, type TableFile } from './support/query-lake.ts'

const RUN: Run = { dt: '2026-11-21', runId: '20261121T060000000Z-aaaaaa' }
const lineage = { _run_id: RUN.runId, _extracted_at: new Date('2026-11-21T06:00:00.000Z') }

const playlist = (id: string, snapshot: string | null) => ({
  playlist_id: id,
  name: id,
  description: null,
  uri: `spotify:playlist:${id}`,
  snapshot_id: snapshot,
  owner_id: 'me',
  owner_display_name: 'Me',
  public: true,
  collaborative: false,
  items_total: 1,
  followers: null,
  image_url: null,
  ...lineage,
})

const item = (playlistId: string, position: number, snapshot: string | null, trackId: string) => ({
  playlist_id: playlistId,
  position,
  snapshot_id: snapshot,
  item_type: 'track',
  item_id: trackId,
  item_uri: `spotify:track:${trackId}`,
  item_name: trackId,
  duration_ms: 1000,
  album_id: 'al1',
  artist_ids: ['ar1'],
  artist_names: ['One'],
  is_local: false,
  added_at: null,
  added_by_id: null,
  ...lineage,
})

const files: TableFile[] = [
  { table: playlistsTable, run: RUN, rows: [playlist('old', null), playlist('new', 's2')] },
  {
    table: playlistItemsTable,
    run: RUN,
    rows: [
      item('old', 0, null, 't1'),
      item('old', 1, null, 't2'),
      item('new', 0, 's2', 't3'),
      // An item of another snapshot of the same playlist stays out of the current tracks.
      item('new', 1, 's1', 't4'),
    ],
  },
  completeRunTables(RUN, { playlists: 2, playlist_items: 4 }),
]

let db: LakeDb
let close: () => Promise<void>

beforeAll(async () => {
  ;({ db, close } = await openLakeOf(files))
})

afterAll(() => close?.())

describe('current_playlist_tracks', () => {
  it("keeps the items of a playlist Spotify sent no snapshot_id for, and only the current snapshot's items", async () => {
    const { rows } = await db.query(
      'SELECT playlist_id, item_id FROM current_playlist_tracks ORDER BY playlist_id, item_id',
    )
    expect(rows).toEqual([
      ['new', 't3'],
      ['old', 't1'],
      ['old', 't2'],
    ])
  })
})
