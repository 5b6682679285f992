/** @module How staging files are written: uncompressed, no statistics, PLAIN for the columns named so. */
import { gzip } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, lakeTable } from '@spotify-lake/schemas'
import { parquetMetadata } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { encodeStagedTable, STAGING_PLAIN_COLUMNS } from '../src/load/stage.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { fakePlaylistRaw } from './support/fake-raw.ts'

describe('staging files', () => {
  it('name only columns their table has', () => {
    for (const table of LAKE_TABLE_NAMES) {
      const columns = lakeTable(table).columns.map((c) => c.name)
      for (const column of STAGING_PLAIN_COLUMNS[table]) expect(columns).toContain(column)
    }
  })

  it('are uncompressed, without statistics, PLAIN where named and the writer’s choice elsewhere', async () => {
    const { envelope } = await fakePlaylistRaw({
      size: 300,
      runId: '20261121T000000000Z-stage0',
      dt: '2026-11-21',
    })
    const { output } = await transformRaw({
      bytes: await gzip(JSON.stringify(envelope)),
      name: 'raw/playlists/dt=2026-11-21/20261121T000000000Z-stage0/playlist-x-p0000.json.gz',
      runId: '20261121T000000000Z-stage0',
    })
    const chunksOf = async (table: (typeof LAKE_TABLE_NAMES)[number], options = {}) => {
      const { parquet } = await encodeStagedTable({ table, output: output[table], ...options })
      const file = parquet!.buffer.slice(parquet!.byteOffset, parquet!.byteOffset + parquet!.byteLength)
      return parquetMetadata(file as ArrayBuffer).row_groups.flatMap((g) => g.columns)
    }
    const encodingOf = (chunks: Awaited<ReturnType<typeof chunksOf>>, column: string) =>
      chunks.find((c) => c.meta_data!.path_in_schema[0] === column)!.meta_data!.encodings
    // The fake's small catalog repeats tracks in 300 items: left to itself, the writer would keep a
    // dictionary for item_id; named PLAIN, it does not.
    expect(encodingOf(await chunksOf('playlist_items', { encodings: {} }), 'item_id')).toContain(
      'RLE_DICTIONARY',
    )
    expect(encodingOf(await chunksOf('playlist_items'), 'item_id')).not.toContain('RLE_DICTIONARY')
    for (const table of ['playlist_items', 'tracks', 'albums', 'artists'] as const) {
      const chunks = await chunksOf(table)
      for (const { meta_data } of chunks) {
        const column = meta_data!.path_in_schema[0]!
        expect(meta_data!.codec).toBe('UNCOMPRESSED')
        expect(meta_data!.statistics).toBeUndefined()
        if (STAGING_PLAIN_COLUMNS[table].includes(column))
          expect(meta_data!.encodings).not.toContain('RLE_DICTIONARY')
      }
      // One run id per file: the writer keeps its dictionary where nobody named PLAIN.
      expect(encodingOf(chunks, '_run_id')).toContain('RLE_DICTIONARY')
    }
  })
})
