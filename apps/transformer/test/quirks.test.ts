/** @module Every real-data quirk has a defined outcome: a row with a documented shape, or a reject with its reason. */
import { gzip } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, lakeKeys } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, FETCHED_AT, playlistUnit, RUN_ID, recorded } from './support/fixtures.ts'
import { bare, EXPECT_PLAYLISTS, raw } from './support/run.ts'

describe('playlist item quirks', () => {
  it('a null track (removed by Spotify) is an `unavailable` row at its position, with nobody as adder', async () => {
    const out = await bare('playlist-items--exportify--handlers-nullTrackHandlers.json')
    expect(out.playlist_items.rows).toMatchObject([
      {
        playlist_id: '4XOGDpHMrVoH33uJEwHWU5',
        position: 0,
        item_type: 'unavailable',
        item_id: null,
        artist_ids: null,
        added_by_id: null,
        added_at: new Date('2020-11-08T22:12:50Z'),
      },
    ])
    expect(out.tracks.seen).toBe(0)
  })

  it('local files are `local` rows: no ids, the spotify:local URI, names from the file tags; no catalog rows', async () => {
    const out = await bare('playlist-items--exportify--handlers-localTrackHandlers.json')
    expect(out.playlist_items.rows[0]).toMatchObject({
      item_type: 'local',
      item_id: null,
      album_id: null,
      is_local: true,
      item_uri: 'spotify:local:The+Waymores:Heart+of+Stone:Heart+of+Stone:128',
      item_name: 'Heart of Stone',
      artist_ids: null,
      artist_names: ['The Waymores'],
      duration_ms: 128000,
    })
    expect(out.tracks.seen + out.albums.seen + out.artists.seen).toBe(0)
  })

  it('podcast episodes (also the track-shaped ones) are `episode` rows without album or artists', async () => {
    const episodes = await bare('playlist-items--zmb3--playlist_items_episodes.json')
    expect(episodes.playlist_items.rows.map((r) => r.item_type)).toEqual([
      'episode',
      'episode',
      'episode',
      'episode',
    ])
    const shaped = await bare(
      'playlist-items--rspotify--test_deserialization_playlist_item_with_malformed_episodes.json',
    )
    expect(shaped.playlist_items.rows[0]).toMatchObject({
      item_type: 'episode',
      album_id: null,
      artist_names: null,
    })
    expect(shaped.tracks.seen + shaped.albums.seen).toBe(0)
    const mixed = await bare('playlist-items--zmb3--playlist_items_episodes_and_tracks.json')
    expect(mixed.playlist_items.rows.map((r) => r.item_type)).toEqual([
      'episode',
      'episode',
      'track',
      'track',
    ])
    expect(mixed.tracks.rows).toHaveLength(2)
  })

  it('duplicate items stay distinct rows (position is in the key); their track is one row and one counted duplicate', async () => {
    const playlist = recorded<{ tracks: { items: unknown[]; total: number } }>(
      'playlist--zmb3--get_playlist.json',
    )
    playlist.tracks.items.push(playlist.tracks.items[0])
    playlist.tracks.total = 5
    const out = await bare('dup.json', playlist)
    expect(out.playlist_items.rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4])
    expect(out.playlist_items.rows[4]!.item_id).toBe(out.playlist_items.rows[0]!.item_id)
    expect(out.tracks.rows.filter((r) => r.track_id === out.playlist_items.rows[0]!.item_id)).toHaveLength(1)
    expect(out.tracks.duplicates).toBe(1)
    expect(out.tracks.seen).toBe(5)
  })

  it('the 2026 shape (`items`/`item`) and the legacy one (`tracks`/`track`) give the same rows', async () => {
    const legacy = recorded<Record<string, unknown>>('playlist--zmb3--get_playlist.json')
    const { tracks, ...rest } = legacy as { tracks: { items: Record<string, unknown>[] } }
    const modern = {
      ...rest,
      items: { ...tracks, items: tracks.items.map(({ track, ...e }) => ({ ...e, item: track })) },
    }
    const a = await bare('legacy.json', legacy)
    const b = await bare('modern.json', modern)
    expect(b.playlist_items.rows).toEqual(a.playlist_items.rows)
    expect(b.playlists.rows).toEqual(a.playlists.rows)
  })

  it('an item that fails its schema is an `invalid_payload` reject; its neighbours keep their positions', async () => {
    const page = recorded<{ items: Record<string, unknown>[] }>(
      'playlist-items--zmb3--playlist_items_tracks.json',
    )
    page.items[0] = { ...page.items[0], added_at: 42 }
    const out = await bare('bad-item.json', page)
    expect(out.playlist_items.rejects).toMatchObject([{ reason: 'invalid_payload', path: '$.items[0]' }])
    expect(out.playlist_items.rows.map((r) => r.position)).toEqual([1])
  })
})

describe('object quirks', () => {
  const good = () =>
    envelope({
      source: 'playlists',
      unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'),
      responses: [
        { endpoint: '/playlists/{playlist_id}', body: recorded('playlist--zmb3--get_playlist.json') },
      ],
    })

  it('a well-formed raw object yields rows with its run id and each response fetch time as lineage', async () => {
    const out = await raw(good())
    expect(out.playlists.rows[0]).toMatchObject({ _run_id: RUN_ID, _extracted_at: new Date(FETCHED_AT) })
    expect(out.playlist_items.rows).toHaveLength(4)
  })

  it("the extractor's snapshot check (`fields=snapshot_id`) holds no record: no row, no reject", async () => {
    const check = {
      endpoint: '/playlists/{id}',
      body: { snapshot_id: 'snapA' },
      params: { fields: 'snapshot_id' },
    }
    const unchanged = await raw(
      envelope({ source: 'playlists', unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'), responses: [check] }),
    )
    expect(Object.values(unchanged).map((t) => t.seen)).toEqual(LAKE_TABLE_NAMES.map(() => 0))
    const changed = good()
    changed.responses.unshift(
      envelope({ source: 'playlists', unit: playlistUnit('x'), responses: [check] }).responses[0]!,
    )
    const out = await raw(changed)
    expect(out.playlists.rejects).toEqual([])
    expect(out.playlist_items.rows.map((r) => r.snapshot_id)).toEqual(['snapA', 'snapA', 'snapA', 'snapA'])
  })

  it('a metadata projection with `items.total` only (the changed-or-not check) is a playlists row and no items', async () => {
    const full = recorded<Record<string, unknown>>('playlist--zmb3--get_playlist.json')
    const { tracks, ...meta } = full as { tracks: { total: number } }
    const projection = { ...meta, tracks: { total: tracks.total } }
    const out = await raw(
      envelope({
        source: 'playlists',
        unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'),
        responses: [
          {
            endpoint: '/playlists/{id}',
            body: projection,
            params: { fields: 'id,name,snapshot_id,items.total' },
          },
        ],
      }),
    )
    expect(out.playlists.rows).toMatchObject([{ playlist_id: '1h9q8vXXDl2vHOmwdsuXms', items_total: 4 }])
    expect(out.playlist_items.seen).toBe(0)
    expect(Object.values(out).flatMap((t) => t.rejects)).toEqual([])
  })

  it('malformed gzip is one `malformed_gzip` reject for the object, not an exception', async () => {
    const bytes = await gzip(JSON.stringify(good()))
    const out = await raw(bytes.slice(0, bytes.length - 12))
    expect(out.playlists.rejects).toMatchObject([{ reason: 'malformed_gzip', path: '$' }])
    const notGzip = await raw(new TextEncoder().encode('{"v":1}'))
    expect(notGzip.playlists.rejects).toMatchObject([{ reason: 'malformed_gzip' }])
  })

  it('a position sent twice (pages overlapping) is one row: the later fetch wins, on a tie the later page', async () => {
    const page = recorded<{ items: { added_at: string }[] }>(
      'playlist-items--zmb3--playlist_items_tracks.json',
    )
    const later = '2026-11-21T01:02:09.000Z'
    const earlier = { ...page, items: page.items.map((e) => ({ ...e, added_at: '2019-01-01T00:00:00Z' })) }
    const tie = { ...page, items: page.items.map((e) => ({ ...e, added_at: '2021-02-02T00:00:00Z' })) }
    const env = good()
    const endpoint = '/playlists/{playlist_id}/items'
    env.responses.push(
      ...envelope({
        source: 'playlists',
        unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'),
        responses: [
          { endpoint, body: page, fetchedAt: later },
          { endpoint, body: earlier },
          { endpoint, body: tie, fetchedAt: later },
        ],
      }).responses,
    )
    const out = await raw(env)
    const rows = out.playlist_items.rows
    expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3])
    expect(out.playlist_items.duplicates).toBe(6)
    expect(rows.slice(0, 2).map((r) => r.added_at)).toEqual([
      new Date('2021-02-02T00:00:00Z'),
      new Date('2021-02-02T00:00:00Z'),
    ])
    expect(rows[0]!._extracted_at).toEqual(new Date(later))
    expect(rows[2]!._extracted_at).toEqual(new Date(FETCHED_AT))
  })

  it('malformed JSON (whole object or one response body) is a `malformed_json` reject', async () => {
    const out = await raw(await gzip('{"v":1,'))
    expect(out.playlists.rejects).toMatchObject([{ reason: 'malformed_json' }])
    const env = good()
    env.responses.push({
      ...env.responses[0]!,
      endpoint: '/playlists/{playlist_id}/items',
      body: '{"items": [',
    })
    const partly = await raw(env)
    expect(partly.playlist_items.rejects).toMatchObject([{ reason: 'malformed_json', path: 'responses[1]' }])
    expect(partly.playlist_items.rows).toHaveLength(4)
  })

  it('JSON that is not an envelope is `invalid_envelope`', async () => {
    const out = await raw(recorded('playlist--zmb3--get_playlist.json'))
    expect(out.playlists.rejects).toMatchObject([{ reason: 'invalid_envelope' }])
  })

  it('an object that is not what the message says (run, dt, source or key) is `message_mismatch`', async () => {
    const other = { ...good(), runId: '20261121T010203456Z-zzzzzz' }
    expect((await raw(other)).playlists.rejects).toMatchObject([{ reason: 'message_mismatch' }])
    const elsewhere = await raw(good(), { key: `raw/playlists/dt=2026-11-20/${RUN_ID}/x.json.gz` })
    expect(elsewhere.playlists.rejects).toMatchObject([{ reason: 'message_mismatch' }])
    expect(lakeKeys.rawRunPrefix(EXPECT_PLAYLISTS)).toBe(`raw/playlists/dt=${DT}/${RUN_ID}/`)
  })

  it('a response this source never carries is `unexpected_payload`; a non-2xx response is `http_error`', async () => {
    const env = good()
    env.responses.push({
      ...env.responses[0]!,
      endpoint: '/albums/{id}',
      body: JSON.stringify(recorded('album--zmb3--find_album.json')),
    })
    env.responses.push({
      ...env.responses[0]!,
      endpoint: '/playlists/{playlist_id}/items',
      status: 404,
      body: '{"error":{}}',
    })
    const out = await raw(env)
    expect(out.albums.rejects).toMatchObject([{ reason: 'unexpected_payload', path: 'responses[1]' }])
    expect(out.playlist_items.rejects).toMatchObject([
      { reason: 'http_error', detail: expect.stringContaining('404') },
    ])
    // Only the playlist's own tracks' albums: nothing from the stray album response.
    expect(out.albums.rows).toHaveLength(4)
  })

  it('a bare file that is no known Spotify response is a clear error (offline use)', async () => {
    await expect(transformRaw({ bytes: Buffer.from('{"hello":1}'), name: 'x.json' })).rejects.toThrow(
      /neither a raw envelope nor a Spotify response/,
    )
  })
})
