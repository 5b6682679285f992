/** @module The lake's Parquet derivation inside workerd: write with the derived schema, read back with hyparquet. */
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { describe, expect, it } from 'vitest'
import {
  fromParquetRows,
  lakeTables,
  PlaylistItemRowSchema,
  playlistItemsTable,
  toParquetColumnData,
  toParquetSchema,
} from '../../src/lake/index.ts'

const lineage = { _run_id: 'run-workerd', _extracted_at: '2026-11-21T06:00:00.123Z' }

// Spotify-shaped input: ISO timestamps, a local file and a removed track at their positions.
const input = [
  {
    playlist_id: 'p1',
    position: 0,
    snapshot_id: 's1',
    item_type: 'track',
    item_id: 't1',
    item_uri: 'spotify:track:t1',
    item_name: 'Ünïcødé',
    duration_ms: 1000,
    album_id: 'a1',
    artist_ids: ['x', 'y'],
    artist_names: ['X', 'Y'],
    is_local: false,
    added_at: '2020-02-29T10:00:00Z',
    added_by_id: 'u1',
    ...lineage,
  },
  {
    playlist_id: 'p1',
    position: 1,
    snapshot_id: 's1',
    item_type: 'local',
    item_id: null,
    item_uri: 'spotify:local:A:B:C:1',
    item_name: 'C',
    duration_ms: null,
    album_id: null,
    artist_ids: [],
    artist_names: ['A'],
    is_local: true,
    added_at: null,
    added_by_id: null,
    ...lineage,
  },
  {
    playlist_id: 'p1',
    position: 2,
    snapshot_id: 's1',
    item_type: 'unavailable',
    item_id: null,
    item_uri: null,
    item_name: null,
    duration_ms: null,
    album_id: null,
    artist_ids: [],
    artist_names: [],
    is_local: false,
    added_at: '2021-01-01T00:00:00+01:00',
    added_by_id: null,
    ...lineage,
  },
]

describe('lake Parquet in workerd', () => {
  it('runs inside workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
  })

  it('writes playlist_items with the derived schema and reads the same rows back', async () => {
    const rows = input.map((row) => PlaylistItemRowSchema.parse(row))
    const buffer = parquetWriteBuffer({
      columnData: toParquetColumnData(playlistItemsTable, rows),
      schema: toParquetSchema(playlistItemsTable),
      // The lake's ZSTD needs the transformer's WebAssembly codec (tested there); the mapping is tested here.
      codec: 'SNAPPY',
    })
    expect(parquetMetadata(buffer).schema.map((e) => e.name)).toEqual(
      toParquetSchema(playlistItemsTable).map((e) => e.name),
    )
    const read = fromParquetRows(playlistItemsTable, await parquetReadObjects({ file: buffer }))
    expect(read).toEqual(rows)
    expect(read[2]?.added_at).toEqual(new Date('2020-12-31T23:00:00Z'))
  })

  it('derives a valid schema for every table (an empty file per table reads back)', async () => {
    for (const table of lakeTables) {
      const buffer = parquetWriteBuffer({
        columnData: toParquetColumnData(table, []),
        schema: toParquetSchema(table),
      })
      expect(parquetMetadata(buffer).schema).toHaveLength(toParquetSchema(table).length)
      expect(await parquetReadObjects({ file: buffer })).toEqual([])
    }
  })
})
