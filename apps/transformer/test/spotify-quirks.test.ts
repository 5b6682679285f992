/**
 * @module Real-world payload quirks (test/fixtures/spotify-quirks, outcomes from its SOURCES.md): the exact
 * rows of every table for each file, in both payload shapes where both exist, and through Parquet.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { LAKE_TABLE_NAMES, lakeTable } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { writeTableParquet } from '../src/load/parquet.ts'
import type { TransformOutput } from '../src/normalize/collector.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { FETCHED_AT, readParquet } from './support/fixtures.ts'
import { inShape, SHAPES } from './support/shapes.ts'

const QUIRKS_DIR = `${import.meta.dirname}/fixtures/spotify-quirks/`
const quirk = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(`${QUIRKS_DIR}${name}`, 'utf8')) as T

const offline = { _run_id: 'offline', _extracted_at: new Date(FETCHED_AT) }

async function transform(name: string, body: unknown): Promise<TransformOutput> {
  const bytes = Buffer.from(JSON.stringify(body))
  return (await transformRaw({ bytes, name, extractedAt: FETCHED_AT })).output
}

/** Every table's rows, rejects as `[reason, path, detail]` and in-object duplicates. */
function tables(out: TransformOutput) {
  return Object.fromEntries(
    LAKE_TABLE_NAMES.map((t) => [
      t,
      {
        rows: out[t].rows,
        rejects: out[t].rejects.map((r) => [r.reason, r.path, r.detail]),
        duplicates: out[t].duplicates,
      },
    ]),
  )
}

const none = { rows: [], rejects: [], duplicates: 0 }
const only = (rows: Record<string, unknown>[], duplicates = 0) => ({ rows, rejects: [], duplicates })
/** Every table with nothing in it: a quirk names only the tables it fills. */
const empty = Object.fromEntries(LAKE_TABLE_NAMES.map((name) => [name, none]))

const weeknd = {
  artist_id: '1Xyo4u8uXC1ZmMpatF05PJ',
  name: 'The Weeknd',
  uri: 'spotify:artist:1Xyo4u8uXC1ZmMpatF05PJ',
  genres: null,
  popularity: null,
  followers: null,
  image_url: null,
}
const afterHours = {
  album_id: '4yP0hdKOZPNshxUOjY0cZj',
  name: 'After Hours',
  uri: 'spotify:album:4yP0hdKOZPNshxUOjY0cZj',
  album_type: 'album',
  total_tracks: 14,
  release_date: '2020-03-20',
  release_date_precision: 'day',
  release_year: 2020,
  upc: null,
  label: null,
  artist_ids: ['1Xyo4u8uXC1ZmMpatF05PJ'],
  artist_names: ['The Weeknd'],
  genres: null,
  popularity: null,
  image_url: 'https://i.scdn.co/image/ab67616d0000b2734yp0hdko',
}
/** The 2026 slim track: no popularity, external ids, markets or preview. */
const blindingLights = {
  track_id: '0VjIjW4GlUZAMYd2vXMi3b',
  name: 'Blinding Lights',
  uri: 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b',
  duration_ms: 200040,
  explicit: false,
  isrc: null,
  album_id: '4yP0hdKOZPNshxUOjY0cZj',
  album_name: 'After Hours',
  disc_number: 1,
  track_number: 9,
  artist_ids: ['1Xyo4u8uXC1ZmMpatF05PJ'],
  artist_names: ['The Weeknd'],
  is_playable: null,
  popularity: null,
}
const blindingLightsAt = (playlistId: string, position: number, snapshotId: string | null) => ({
  playlist_id: playlistId,
  position,
  snapshot_id: snapshotId,
  item_type: 'track',
  item_id: '0VjIjW4GlUZAMYd2vXMi3b',
  item_uri: 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b',
  item_name: 'Blinding Lights',
  duration_ms: 200040,
  album_id: '4yP0hdKOZPNshxUOjY0cZj',
  artist_ids: ['1Xyo4u8uXC1ZmMpatF05PJ'],
  artist_names: ['The Weeknd'],
  is_local: false,
  added_at: new Date('2023-12-01T10:00:00Z'),
  added_by_id: 'listener_a',
})

describe('the quirks folder', () => {
  it('holds exactly the files these tests cover', () => {
    expect(readdirSync(QUIRKS_DIR).filter((f) => f.endsWith('.json'))).toEqual([
      'album--linked-from-null-id.json',
      'artist--development-mode-no-genres.json',
      'artist--followers-total-null.json',
      'playlist--development-mode-metadata-only.json',
      'playlist--development-mode-tracks-null.json',
      'playlist--null-images-unicode-text.json',
      'playlist-items--2026-slim-track-and-episode.json',
      'playlist-items--local-files-odd-uris.json',
      'raw-envelope--http-errors.json',
      'track--integers-as-floats.json',
    ])
  })
})

describe('album--linked-from-null-id.json: `linked_from` feeds no column, so its null id rejects nothing', () => {
  const ive = {
    artist_id: '6RHTUrRF63xao58xh9FXYJ',
    name: 'IVE',
    uri: 'spotify:artist:6RHTUrRF63xao58xh9FXYJ',
    genres: null,
    popularity: null,
    followers: null,
    image_url: null,
  }

  it('is one album row and its artist row, no rejects', async () => {
    const out = await transform('album.json', quirk('album--linked-from-null-id.json'))
    expect(tables(out)).toEqual({
      ...empty,
      albums: only([
        {
          album_id: '5dIJ97uGTWrNmw6QRwMnRo',
          name: 'Off The Record',
          uri: 'spotify:album:5dIJ97uGTWrNmw6QRwMnRo',
          album_type: 'single',
          total_tracks: 1,
          release_date: '2023-10-06',
          release_date_precision: 'day',
          release_year: 2023,
          upc: '8800000000001',
          label: 'Some Label',
          artist_ids: ['6RHTUrRF63xao58xh9FXYJ'],
          artist_names: ['IVE'],
          // Sent as []: Spotify says "no genres", which is not the same as not saying.
          genres: [],
          popularity: 60,
          image_url: 'https://i.scdn.co/image/ab67616d0000b2735dij97ug',
          ...offline,
        },
      ]),
      artists: only([{ ...ive, ...offline }]),
    })
  })

  it.each(SHAPES)(
    'inside a playlist entry (%s shape) costs neither the entry nor its track',
    async (shape) => {
      const album = quirk<Record<string, unknown> & { tracks: { items: Record<string, unknown>[] } }>(
        'album--linked-from-null-id.json',
      )
      const { tracks, ...simplified } = album
      const track = { ...tracks.items[0], album: simplified }
      const page = {
        href: 'https://api.spotify.com/v1/playlists/1aBcDeFgHiJkLmNoPqRsTu/items?offset=0&limit=50',
        items: [
          { added_at: '2023-12-01T10:00:00Z', added_by: { id: 'listener_a' }, is_local: false, item: track },
        ],
        limit: 50,
        offset: 0,
        total: 1,
      }
      const out = await transform('page.json', inShape(page, shape))
      expect(Object.values(out).flatMap((t) => t.rejects)).toEqual([])
      expect(out.playlist_items.rows).toEqual([
        {
          playlist_id: '1aBcDeFgHiJkLmNoPqRsTu',
          position: 0,
          snapshot_id: null,
          item_type: 'track',
          item_id: '0tSkMuKKrLXEfxc58cEhFX',
          item_uri: 'spotify:track:0tSkMuKKrLXEfxc58cEhFX',
          item_name: 'Off The Record',
          duration_ms: 187000,
          album_id: '5dIJ97uGTWrNmw6QRwMnRo',
          artist_ids: ['6RHTUrRF63xao58xh9FXYJ'],
          artist_names: ['IVE'],
          is_local: false,
          added_at: new Date('2023-12-01T10:00:00Z'),
          added_by_id: 'listener_a',
          ...offline,
        },
      ])
      expect(out.tracks.rows).toMatchObject([
        { track_id: '0tSkMuKKrLXEfxc58cEhFX', album_id: '5dIJ97uGTWrNmw6QRwMnRo' },
      ])
    },
  )
})

describe('artists without the fields development mode removed', () => {
  it('artist--followers-total-null.json: one row, `followers` null, no rejects', async () => {
    const out = await transform('artist.json', quirk('artist--followers-total-null.json'))
    expect(tables(out)).toEqual({
      ...empty,
      artists: only([
        {
          artist_id: '4KXp3xtaz1wWXnu5u34eVX',
          name: 'Kent',
          uri: 'spotify:artist:4KXp3xtaz1wWXnu5u34eVX',
          genres: ['swedish indie rock'],
          popularity: 69,
          followers: null,
          // The larger of the two images (1000 px).
          image_url: 'https://i.scdn.co/image/38129832f70d5798de2618faa55182407135842c',
          ...offline,
        },
      ]),
    })
  })

  it('artist--development-mode-no-genres.json: one row, genres, popularity and followers null', async () => {
    const out = await transform('artist.json', quirk('artist--development-mode-no-genres.json'))
    expect(tables(out)).toEqual({
      ...empty,
      artists: only([
        {
          artist_id: '4Z8W4fKeB5YxbusRsdQVPb',
          name: 'Radiohead',
          uri: 'spotify:artist:4Z8W4fKeB5YxbusRsdQVPb',
          genres: null,
          popularity: null,
          followers: null,
          image_url: 'https://i.scdn.co/image/ab6761610000e5eba03696716c9ee605006047fd',
          ...offline,
        },
      ]),
    })
  })
})

describe('development-mode playlists fetched without an items page keep their playlists row', () => {
  const topHits = {
    playlist_id: '37i9dQZF1DXcBWIGoYBM5M',
    name: "Today's Top Hits",
    description: 'Editorial picks',
    uri: 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M',
    snapshot_id: 'AAAAAZmE0ZTQ5ZGI0ZjY2YmE1NmU0NjM2NjY2NmE=',
    owner_id: 'spotify',
    owner_display_name: 'Spotify',
    public: true,
    collaborative: false,
    // Unknown, not zero: the response held no items page.
    items_total: null,
    followers: null,
    image_url: 'https://i.scdn.co/image/ab67706f00000002aaaaaaaaaaaaaaaaaaaaaaaa',
    ...offline,
  }

  it('playlist--development-mode-metadata-only.json: one row, `items_total` null, no rejects', async () => {
    const out = await transform('meta.json', quirk('playlist--development-mode-metadata-only.json'))
    expect(tables(out)).toEqual({ ...empty, playlists: only([topHits]) })
  })

  it.each(SHAPES)('playlist--development-mode-tracks-null.json (%s shape): the same', async (shape) => {
    const out = await transform(
      'null.json',
      inShape(quirk('playlist--development-mode-tracks-null.json'), shape),
    )
    expect(tables(out)).toEqual({ ...empty, playlists: only([topHits]) })
  })
})

describe('playlist--null-images-unicode-text.json: nulls kept, text byte-exact', () => {
  it.each(SHAPES)('%s shape: one row', async (shape) => {
    const body = quirk<{ name: string; description: string }>('playlist--null-images-unicode-text.json')
    const out = await transform('unicode.json', inShape(body, shape))
    expect(tables(out)).toEqual({
      ...empty,
      playlists: only([
        {
          playlist_id: '0zzzzzzzzzzzzzzzzzzzz7',
          name: '🌧️ Регенлieder – 雨の日 – مطر',
          // HTML entities stay as Spotify sent them; the lake does not decode.
          description: body.description,
          uri: 'spotify:playlist:0zzzzzzzzzzzzzzzzzzzz7',
          snapshot_id: 'AAAAAQAAAAAvQ2xpc3RlbmVyX2I=',
          owner_id: 'listener_b',
          owner_display_name: null,
          public: null,
          collaborative: false,
          items_total: 0,
          followers: null,
          image_url: null,
          ...offline,
        },
      ]),
    })
    expect(out.playlists.rows[0]!.description).toMatch(
      /^Songs for rainy days &amp; late nights &#x2F; 雨の日の歌/,
    )
  })
})

describe('playlist-items--local-files-odd-uris.json: three local rows, URIs byte-exact', () => {
  it.each(SHAPES)('%s shape', async (shape) => {
    const out = await transform(
      'local.json',
      inShape(quirk('playlist-items--local-files-odd-uris.json'), shape),
    )
    const local = (position: number, uri: string, name: string, durationMs: number, artists: string[]) => ({
      playlist_id: '1aBcDeFgHiJkLmNoPqRsTu',
      position,
      snapshot_id: null,
      item_type: 'local',
      item_id: null,
      item_uri: uri,
      item_name: name,
      duration_ms: durationMs,
      album_id: null,
      artist_ids: null,
      artist_names: artists,
      is_local: true,
      added_at: new Date('2023-12-01T10:00:00Z'),
      added_by_id: 'listener_a',
      ...offline,
    })
    expect(tables(out)).toEqual({
      ...empty,
      playlist_items: only([
        local(
          0,
          'spotify:local:::%5BRemastered+2010%5D+HOLA+BLANCO+-+Jay+Z+%26+Coldplay+-+Viva+La+Hova:159',
          '[Remastered 2010] HOLA BLANCO - Jay Z & Coldplay - Viva La Hova',
          159000,
          [],
        ),
        local(
          1,
          'spotify:local:AudioLab::Jungkook+Seven+explicit+without+Latto_11-08-23_18-00-17-722:149',
          'Jungkook Seven explicit without Latto_11-08-23_18-00-17-722',
          149000,
          ['AudioLab'],
        ),
        local(
          2,
          'spotify:local:%E5%AE%87%E5%A4%9A%E7%94%B0%E3%83%92%E3%82%AB%E3%83%AB:First+Love:Automatic:326',
          'Automatic',
          326000,
          ['宇多田ヒカル'],
        ),
      ]),
    })
  })
})

describe('playlist-items--2026-slim-track-and-episode.json: two item rows (track, episode)', () => {
  it.each(SHAPES)('%s shape', async (shape) => {
    const body = inShape(quirk('playlist-items--2026-slim-track-and-episode.json'), shape)
    const out = await transform('slim.json', body)
    expect(tables(out)).toEqual({
      ...empty,
      playlist_items: only([
        { ...blindingLightsAt('1aBcDeFgHiJkLmNoPqRsTu', 0, null), ...offline },
        {
          playlist_id: '1aBcDeFgHiJkLmNoPqRsTu',
          position: 1,
          snapshot_id: null,
          item_type: 'episode',
          item_id: '00o5wEKBcf1YuahYcRmxnB',
          item_uri: 'spotify:episode:00o5wEKBcf1YuahYcRmxnB',
          item_name: 'Ni Dieu ni maître ?',
          duration_ms: 2562528,
          album_id: null,
          artist_ids: null,
          artist_names: null,
          is_local: false,
          added_at: new Date('2023-12-01T10:00:00Z'),
          added_by_id: 'listener_a',
          ...offline,
        },
      ]),
      tracks: only([{ ...blindingLights, ...offline }]),
      albums: only([{ ...afterHours, ...offline }]),
      // The track's artist and its album's artist are one artist: one row, one counted duplicate.
      artists: only([{ ...weeknd, ...offline }], 1),
    })
  })
})

describe('raw-envelope--http-errors.json: four rejects with status and cause, one item row', () => {
  it.each(SHAPES)('%s shape of the good page', async (shape) => {
    const envelope = quirk<{ runId: string; responses: { body: string; fetchedAt: string }[] }>(
      'raw-envelope--http-errors.json',
    )
    const good = envelope.responses[4]!
    good.body = JSON.stringify(inShape(JSON.parse(good.body), shape))
    const out = await transform('raw-envelope--http-errors.json', envelope)
    const lineage = { _run_id: envelope.runId, _extracted_at: new Date(good.fetchedAt) }
    expect(tables(out)).toEqual({
      ...empty,
      playlist_items: {
        rows: [{ ...blindingLightsAt('1aBcDeFgHiJkLmNoPqRsTu', 0, 'AAAAAhunt'), ...lineage }],
        rejects: [
          ['http_error', 'responses[0]', 'HTTP 429 from /playlists/{id}/items: API rate limit exceeded'],
          [
            'http_error',
            'responses[1]',
            'HTTP 502 from /playlists/{id}/items: 502 Bad Gateway 502 Bad Gateway',
          ],
          ['http_error', 'responses[2]', 'HTTP 403 from /playlists/{id}/items: Forbidden'],
          ['malformed_json', 'responses[3]', 'empty body (HTTP 200)'],
        ],
        duplicates: 0,
      },
      tracks: only([{ ...blindingLights, ...lineage }]),
      albums: only([{ ...afterHours, ...lineage }]),
      artists: only([{ ...weeknd, ...lineage }], 1),
    })
  })
})

describe('track--integers-as-floats.json: INTEGER columns hold the whole values', () => {
  it('tracks, albums and artists rows', async () => {
    const out = await transform('floats.json', quirk('track--integers-as-floats.json'))
    const kasabian = ['11wRdbnoYqRddKBrpHt4Ue']
    expect(tables(out)).toEqual({
      ...empty,
      tracks: only([
        {
          track_id: '7xyzABCDEFGHIJKLMNOPQ1',
          name: 'Float Track',
          uri: 'spotify:track:7xyzABCDEFGHIJKLMNOPQ1',
          duration_ms: 321560,
          explicit: false,
          isrc: 'GBARL0400001',
          album_id: '2DHGeuRTttjurZDb0pSjx6',
          album_name: 'Float Album',
          disc_number: 1,
          track_number: 3,
          artist_ids: kasabian,
          artist_names: ['Kasabian'],
          is_playable: null,
          popularity: 67,
          ...offline,
        },
      ]),
      albums: only([
        {
          album_id: '2DHGeuRTttjurZDb0pSjx6',
          name: 'Float Album',
          uri: 'spotify:album:2DHGeuRTttjurZDb0pSjx6',
          album_type: 'album',
          total_tracks: 12,
          release_date: '2004-09-06',
          release_date_precision: 'day',
          release_year: 2004,
          upc: null,
          label: null,
          artist_ids: kasabian,
          artist_names: ['Kasabian'],
          genres: null,
          popularity: null,
          image_url: 'https://i.scdn.co/image/ab67616d0000b273358f726999166b87f00e7066',
          ...offline,
        },
      ]),
      artists: only(
        [
          {
            artist_id: '11wRdbnoYqRddKBrpHt4Ue',
            name: 'Kasabian',
            uri: 'spotify:artist:11wRdbnoYqRddKBrpHt4Ue',
            genres: null,
            popularity: null,
            followers: null,
            image_url: null,
            ...offline,
          },
        ],
        1,
      ),
    })
  })
})

describe('every quirk through Parquet', () => {
  it.each(readdirSync(QUIRKS_DIR).filter((f) => f.endsWith('.json')))(
    '%s reads back unchanged',
    async (name) => {
      const out = await transform(name, quirk(name))
      for (const t of LAKE_TABLE_NAMES) {
        const { rows } = out[t]
        if (rows.length === 0) continue
        const back = await readParquet(writeTableParquet({ table: lakeTable(t), rows }))
        // hyparquet reads int64 as bigint and a null list as undefined: compare as the lake means them.
        const normalised = back.map((row) =>
          Object.fromEntries(
            lakeTable(t).columns.map((c) => {
              const value = row[c.name]
              return [c.name, value === undefined ? null : typeof value === 'bigint' ? Number(value) : value]
            }),
          ),
        )
        expect(normalised).toEqual(rows)
      }
    },
  )
})
