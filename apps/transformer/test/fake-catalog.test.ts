/** @module Fake-catalog payloads (the local fake Spotify): a big paged playlist against the fake's own ground truth. */
import { gzip } from '@spotify-lake/lake-store'
import { lakeTable } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { writeTableParquet } from '../src/load/parquet.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { fakePlaylistRaw } from './support/fake-raw.ts'
import { DT, RUN_ID, readParquet } from './support/fixtures.ts'

const KIND_TO_ITEM_TYPE = {
  track: 'track',
  episode: 'episode',
  local: 'local',
  removed: 'unavailable',
} as const

describe('a 1,200-item fake playlist fetched page by page', () => {
  it('yields one row per position with the item the fake put there, and every track once', async () => {
    const { envelope, entries, total, playlistId } = await fakePlaylistRaw({
      size: 1200,
      runId: RUN_ID,
      dt: DT,
      catalog: { tracks: 900, albums: 200, artists: 150 },
    })
    expect(envelope.responses.length).toBeGreaterThan(20)
    const key = `raw/playlists/dt=${DT}/${RUN_ID}/playlist-${playlistId}-p0000.json.gz`
    const { output } = await transformRaw({
      bytes: await gzip(JSON.stringify(envelope)),
      name: key,
      expect: { runId: RUN_ID, dt: DT, source: 'playlists' },
    })
    const items = output.playlist_items
    expect(items.rejects).toEqual([])
    expect(items.rows).toHaveLength(total)
    expect(items.rows.map((r) => r.position)).toEqual(entries.map((_, i) => i))
    expect(items.rows.map((r) => r.item_type)).toEqual(entries.map((e) => KIND_TO_ITEM_TYPE[e.kind]))
    expect(items.rows.map((r) => r.item_id)).toEqual(
      entries.map((e) => (e.kind === 'track' ? e.trackId : e.kind === 'episode' ? e.episodeId : null)),
    )
    const trackIds = new Set(entries.flatMap((e) => (e.kind === 'track' ? [e.trackId] : [])))
    expect(new Set(output.tracks.rows.map((r) => r.track_id))).toEqual(trackIds)
    const trackItems = entries.filter((e) => e.kind === 'track').length
    expect(output.tracks.duplicates).toBe(trackItems - trackIds.size)
    expect(output.playlists.rows).toMatchObject([{ playlist_id: playlistId, items_total: total }])

    const back = await readParquet(
      writeTableParquet({ table: lakeTable('playlist_items'), rows: items.rows, rowGroupSize: 500 }),
    )
    expect(back).toHaveLength(total)
    expect(back.at(-1)).toMatchObject({ position: total - 1, item_type: items.rows.at(-1)!.item_type })
  })
})
