/**
 * @module The current catalog views (current_albums, current_artists, current_tracks) when the catalog
 * ledger skipped a full fetch: day 1 fetched the album and artist in full (GET /albums/{id}, GET
 * /artists/{id}); day 2 skipped them (fresh in the ledger) and wrote only the simplified copies a
 * playlist item embeds, without label, upc, genres, popularity. The insights must still see them.
 * DuckDB runs the views and the insight files over real Parquet.
 */
import {
  albumsTable,
  artistsTable,
  playlistItemsTable,
  playlistsTable,
  tracksTable,
} from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LakeDb } from '../src/query/duckdb.ts'
import { findInsight } from '../src/query/insights.ts'
import { completeRunTables, openLakeOf, type Run, type TableFile } from './support/query-lake.ts'

const DAY_1: Run = { dt: '2026-11-21', runId: '20261121T060000000Z-aaaaaa' }
const DAY_2: Run = { dt: '2026-11-22', runId: '20261122T060000000Z-bbbbbb' }
const lineage = (run: Run) => ({ _run_id: run.runId, _extracted_at: new Date(`${run.dt}T06:00:00.000Z`) })

const album = (run: Run, full: boolean, name: string) => ({
  album_id: 'al1',
  name,
  uri: 'spotify:album:al1',
  album_type: 'album',
  total_tracks: 10,
  release_date: '2026-11-20',
  release_date_precision: 'day',
  release_year: 2026,
  upc: full ? '600000000001' : null,
  label: full ? 'Fresh Records' : null,
  artist_ids: ['ar1'],
  artist_names: ['One'],
  genres: full ? ['indie'] : null,
  popularity: full ? 42 : null,
  image_url: 'https://i.scdn.co/image/al1',
  ...lineage(run),
})

const artist = (run: Run, full: boolean) => ({
  artist_id: 'ar1',
  name: 'One',
  uri: 'spotify:artist:ar1',
  genres: full ? ['indie', 'shoegaze'] : null,
  popularity: full ? 55 : null,
  followers: full ? 1234 : null,
  image_url: full ? 'https://i.scdn.co/image/ar1' : null,
  ...lineage(run),
})

/** A full track, or (`full` false) a simplified one, as an album's track list embeds it: no isrc, no popularity. */
const track = (run: Run, full: boolean) => ({
  track_id: 't1',
  name: 'Song',
  uri: 'spotify:track:t1',
  duration_ms: 180_000,
  explicit: false,
  isrc: full ? 'USFAK0000001' : null,
  album_id: 'al1',
  album_name: 'Debut',
  disc_number: 1,
  track_number: 1,
  artist_ids: ['ar1'],
  artist_names: ['One'],
  is_playable: true,
  popularity: full ? 61 : null,
  ...lineage(run),
})

const playlist = (run: Run) => ({
  playlist_id: 'p1',
  name: 'Mix',
  description: null,
  uri: 'spotify:playlist:p1',
  snapshot_id: 's1',
  owner_id: 'me',
  owner_display_name: 'Me',
  public: true,
  collaborative: false,
  items_total: 1,
  followers: null,
  image_url: null,
  ...lineage(run),
})

const item = (run: Run) => ({
  playlist_id: 'p1',
  position: 0,
  snapshot_id: 's1',
  item_type: 'track',
  item_id: 't1',
  item_uri: 'spotify:track:t1',
  item_name: 'Song',
  duration_ms: 180_000,
  album_id: 'al1',
  artist_ids: ['ar1'],
  artist_names: ['One'],
  is_local: false,
  added_at: null,
  added_by_id: null,
  ...lineage(run),
})

const files: TableFile[] = [
  // Day 1: the playlist's items, and the album and artist fetched in full (the catalog units' rows win).
  { table: playlistsTable, run: DAY_1, rows: [playlist(DAY_1)] },
  { table: playlistItemsTable, run: DAY_1, rows: [item(DAY_1)] },
  { table: tracksTable, run: DAY_1, rows: [track(DAY_1, true)] },
  { table: albumsTable, run: DAY_1, rows: [album(DAY_1, true, 'Debut')] },
  { table: artistsTable, run: DAY_1, rows: [artist(DAY_1, true)] },
  completeRunTables(DAY_1, { playlists: 1, playlist_items: 1, tracks: 1, albums: 1, artists: 1 }),
  // Day 2: the ledger skipped both full fetches; only the copies embedded in the items were written
  // (the album renamed since, which the simplified copy does carry).
  { table: playlistsTable, run: DAY_2, rows: [playlist(DAY_2)] },
  { table: playlistItemsTable, run: DAY_2, rows: [item(DAY_2)] },
  { table: tracksTable, run: DAY_2, rows: [track(DAY_2, false)] },
  { table: albumsTable, run: DAY_2, rows: [album(DAY_2, false, 'Debut (Deluxe)')] },
  { table: artistsTable, run: DAY_2, rows: [artist(DAY_2, false)] },
  completeRunTables(DAY_2, { playlists: 1, playlist_items: 1, tracks: 1, albums: 1, artists: 1 }),
]

let db: LakeDb
let close: () => Promise<void>

beforeAll(async () => {
  ;({ db, close } = await openLakeOf(files))
})

afterAll(() => close?.())

describe('the current catalog views after a day the ledger skipped the full fetch', () => {
  it('current_albums keeps the latest full fetch’s label, upc, genres and popularity beside the latest name', async () => {
    const { rows } = await db.query(
      'SELECT album_id, name, label, upc, genres, popularity, dt, "_run_id" FROM current_albums',
    )
    expect(rows).toEqual([
      ['al1', 'Debut (Deluxe)', 'Fresh Records', '600000000001', ['indie'], 42, DAY_2.dt, DAY_2.runId],
    ])
  })

  it('current_artists and current_tracks do the same', async () => {
    const artists = await db.query(
      'SELECT artist_id, genres, popularity, followers, image_url FROM current_artists',
    )
    expect(artists.rows).toEqual([['ar1', ['indie', 'shoegaze'], 55, 1234, 'https://i.scdn.co/image/ar1']])
    const tracks = await db.query('SELECT track_id, isrc, popularity, dt FROM current_tracks')
    expect(tracks.rows).toEqual([['t1', 'USFAK0000001', 61, DAY_2.dt]])
  })

  it('the genre-mix insight still shows the artist’s genres', async () => {
    const insight = await findInsight({ name: 'genre-mix' })
    if (!insight) throw new Error('no insight genre-mix')
    const { rows } = await db.query(insight.sql)
    expect(rows).toEqual([
      ['indie', 1, 1],
      ['shoegaze', 1, 1],
    ])
  })

  it('a later full fetch replaces the group as a whole, nulls included', async () => {
    const DAY_3: Run = { dt: '2026-11-23', runId: '20261123T060000000Z-cccccc' }
    // A development-mode full fetch: upc and genres, but no label or popularity (Spotify removed them).
    const devFull = { ...album(DAY_3, true, 'Debut (Deluxe)'), label: null, popularity: null, genres: [] }
    const later = await openLakeOf([...files, { table: albumsTable, run: DAY_3, rows: [devFull] }])
    try {
      const { rows } = await later.db.query('SELECT label, upc, genres, popularity FROM current_albums')
      expect(rows).toEqual([[null, '600000000001', [], null]])
    } finally {
      await later.close()
    }
  })
})
