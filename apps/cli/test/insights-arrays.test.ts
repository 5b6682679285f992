/**
 * @module top-artists over arrays of different lengths: a track whose `artist_names` is shorter than its
 * `artist_ids`. Trino throws on `names[i]` past the end (Athena fails the whole query); the insight reads
 * names with `try(names[i])`, NULL in both engines. DuckDB runs it here over real Parquet files.
 */
import { playlistItemsTable, playlistsTable } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LakeDb } from '../src/query/duckdb.ts'
import { findInsight } from '../src/query/insights.ts'
import { completeRunTables, openLakeOf, type Run, type TableFile } from './support/query-lake.ts'

const RUN: Run = { dt: '2026-11-21', runId: '20261121T060000000Z-aaaaaa' }
const lineage = { _run_id: RUN.runId, _extracted_at: new Date('2026-11-21T06:00:00.000Z') }

const item = (position: number, id: string, artistIds: string[], artistNames: string[]) => ({
  playlist_id: 'p1',
  position,
  snapshot_id: 's1',
  item_type: 'track',
  item_id: id,
  item_uri: `spotify:track:${id}`,
  item_name: id,
  duration_ms: 1000,
  album_id: 'al1',
  artist_ids: artistIds,
  artist_names: artistNames,
  is_local: false,
  added_at: null,
  added_by_id: null,
  ...lineage,
})

const files: TableFile[] = [
  {
    table: playlistsTable,
    run: RUN,
    rows: [
      {
        playlist_id: 'p1',
        name: 'Mixed',
        description: null,
        uri: 'spotify:playlist:p1',
        snapshot_id: 's1',
        owner_id: 'me',
        owner_display_name: 'Me',
        public: true,
        collaborative: false,
        items_total: 2,
        followers: null,
        image_url: null,
        ...lineage,
      },
    ],
  },
  {
    table: playlistItemsTable,
    run: RUN,
    rows: [
      // Three credits, two names: the third credit has no name to index.
      item(0, 't1', ['ar1', 'ar2', 'ar3'], ['One', 'Two']),
      item(1, 't2', ['ar4'], ['Four']),
    ],
  },
  completeRunTables(RUN, { playlists: 1, playlist_items: 2 }),
]

let db: LakeDb
let close: () => Promise<void>

beforeAll(async () => {
  ;({ db, close } = await openLakeOf(files))
})

afterAll(() => close?.())

describe('top-artists when artist_names is shorter than artist_ids', () => {
  it('credits every artist id and reads the missing name as NULL instead of failing', async () => {
    const insight = await findInsight({ name: 'top-artists' })
    expect(insight?.sql).toContain('try(t.artist_names[u.artist_index])')
    const { columns, rows } = await db.query(insight!.sql)
    const records = rows.map((row) => Object.fromEntries(columns.map((name, i) => [name, row[i]])))
    const byId = Object.fromEntries(records.map((r) => [String(r.artist_id), r]))
    expect(Object.keys(byId).sort()).toEqual(['ar1', 'ar2', 'ar3', 'ar4'])
    expect(byId.ar1).toMatchObject({ artist_name: 'One', playlist_count: 1, track_count: 1, item_count: 1 })
    expect(byId.ar2).toMatchObject({ artist_name: 'Two', item_count: 1 })
    // The credit past the end of artist_names is kept, with no name.
    expect(byId.ar3).toMatchObject({ artist_name: null, playlist_count: 1, track_count: 1, item_count: 1 })
    expect(byId.ar4).toMatchObject({ artist_name: 'Four', item_count: 1 })
  })
})
