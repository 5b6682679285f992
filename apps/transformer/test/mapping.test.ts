/** @module Field mapping: exact rows from recorded payloads, and what missing, unknown or odd fields become. */
import { describe, expect, it } from 'vitest'
import { envelope, FETCHED_AT, recorded } from './support/fixtures.ts'
import { bare, EXPECT_PLAYLISTS, raw, rawKey } from './support/run.ts'

describe('field mapping', () => {
  it('maps a catalog track to exact tracks, albums and artists rows (values read off the recorded payload)', async () => {
    const out = await bare('track--tssdk--validTrack.json')
    const lineage = { _run_id: 'offline', _extracted_at: new Date(FETCHED_AT) }
    expect(out.tracks.rows).toEqual([
      {
        track_id: '2RM5Lx7VIp6GrLRsg2yXwW',
        name: 'Austerity',
        uri: 'spotify:track:2RM5Lx7VIp6GrLRsg2yXwW',
        duration_ms: 221200,
        explicit: false,
        isrc: 'ATN262320801',
        album_id: '4EcfbzCtbJDk2wMwhT4D1h',
        album_name: 'Sky Void of Stars',
        disc_number: 1,
        track_number: 1,
        artist_ids: ['2CWWgbxApjbyByxBBCvGTm'],
        artist_names: ['Katatonia'],
        is_playable: null,
        popularity: 47,
        ...lineage,
      },
    ])
    expect(out.albums.rows).toEqual([
      {
        album_id: '4EcfbzCtbJDk2wMwhT4D1h',
        name: 'Sky Void of Stars',
        uri: 'spotify:album:4EcfbzCtbJDk2wMwhT4D1h',
        album_type: 'album',
        total_tracks: 11,
        release_date: '2023-01-20',
        release_date_precision: 'day',
        release_year: 2023,
        upc: null,
        label: null,
        artist_ids: ['2CWWgbxApjbyByxBBCvGTm'],
        artist_names: ['Katatonia'],
        // Not sent for a simplified album: unknown, not "no genres".
        genres: null,
        popularity: null,
        // The largest of the three covers (640 px).
        image_url: 'https://i.scdn.co/image/ab67616d0000b2731465df104ab9c7772fe0da9b',
        ...lineage,
      },
    ])
    // The track's artist and the album's artist are one row; the second sighting is a duplicate.
    expect(out.artists.rows).toEqual([
      {
        artist_id: '2CWWgbxApjbyByxBBCvGTm',
        name: 'Katatonia',
        uri: 'spotify:artist:2CWWgbxApjbyByxBBCvGTm',
        genres: null,
        popularity: null,
        followers: null,
        image_url: null,
        ...lineage,
      },
    ])
    expect(out.artists.duplicates).toBe(1)
  })
})

describe('field quirks', () => {
  it('missing optional fields (development-mode payloads) become nulls, lists included', async () => {
    const track = recorded<Record<string, unknown>>('track--tssdk--validTrack.json')
    delete track.popularity
    delete track.external_ids
    delete track.available_markets
    const out = await bare('dev-track.json', track)
    expect(out.tracks.rows[0]).toMatchObject({ popularity: null, isrc: null })
    const artist = recorded<Record<string, unknown>>('artist--tssdk--validArtist.json')
    delete artist.followers
    delete artist.popularity
    delete artist.genres
    const a = await bare('dev-artist.json', artist)
    expect(a.artists.rows[0]).toMatchObject({ followers: null, popularity: null, genres: null })
    const album = recorded<Record<string, unknown>>('album--tssdk--validAlbumResult.json')
    delete album.label
    delete album.popularity
    const b = await bare('dev-album.json', album)
    expect(b.albums.rows[0]).toMatchObject({ label: null, popularity: null })
  })

  it('unknown fields are ignored: the row is the same as without them', async () => {
    const track = recorded<Record<string, unknown>>('track--tssdk--validTrack.json')
    const plain = await bare('t.json', track)
    const extra = await bare('t.json', { ...track, brand_new_2027_field: { nested: [1, 2] } })
    expect(extra.tracks.rows).toEqual(plain.tracks.rows)
    expect(extra.tracks.rejects).toEqual([])
  })

  it('a stored field with a value Spotify does not document is an `invalid_payload` reject naming the path and value', async () => {
    // A release date must be YYYY[-MM[-DD]]: "soon" is no date, and no release_year can come of it.
    const album = {
      ...recorded<Record<string, unknown>>('album--tssdk--validAlbumResult.json'),
      release_date: 'soon',
    }
    const out = await bare('soon.json', album)
    expect(out.albums.rows).toEqual([])
    expect(out.albums.rejects).toMatchObject([
      {
        reason: 'invalid_payload',
        path: '$',
        detail: expect.stringMatching(/^release_date: .*\(got "soon"\)$/),
      },
    ])
  })

  it('a null slot in a batch response is a `not_found` reject naming the id asked for', async () => {
    const body = recorded('several-tracks--zmb3--find_tracks_notfound.json')
    const out = await raw(
      envelope({
        source: 'tracks',
        unit: { type: 'tracks', ids: ['0eGsygTp906u18L0Oimnem', '1lDWb6b6ieDQ2xT7ewTC3G'], batch: 0 },
        responses: [
          { endpoint: '/tracks', body, params: { ids: '0eGsygTp906u18L0Oimnem,1lDWb6b6ieDQ2xT7ewTC3G' } },
        ],
      }),
      { key: rawKey('tracks-b00000', 'tracks'), expect: { ...EXPECT_PLAYLISTS, source: 'tracks' } },
    )
    expect(out.tracks.rejects).toMatchObject([
      { reason: 'not_found', record: { id: '1lDWb6b6ieDQ2xT7ewTC3G' } },
    ])
  })
})

describe("Spotify's placeholders become null (SPOTIFY_PLACEHOLDERS), and what is derived from them follows", () => {
  it.each(['0000', '0000-00-00'])('release_date %s: date, precision and year are null', async (date) => {
    const album = {
      ...recorded<Record<string, unknown>>('album--tssdk--validAlbumResult.json'),
      release_date: date,
      release_date_precision: 'year',
    }
    const out = await bare('zero.json', album)
    expect(out.albums.rejects).toEqual([])
    expect(out.albums.rows[0]).toMatchObject({
      release_date: null,
      release_date_precision: null,
      release_year: null,
    })
  })

  it('a real year is kept with its precision', async () => {
    const album = {
      ...recorded<Record<string, unknown>>('album--tssdk--validAlbumResult.json'),
      release_date: '1981',
      release_date_precision: 'year',
    }
    const out = await bare('year.json', album)
    expect(out.albums.rows[0]).toMatchObject({
      release_date: '1981',
      release_date_precision: 'year',
      release_year: 1981,
    })
  })

  it.each(['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '1970-01-01T01:00:00+01:00'])(
    'added_at %s (the epoch) and added_by.id "" are null',
    async (addedAt) => {
      const page = recorded<{ items: Record<string, unknown>[] }>(
        'playlist-items--zmb3--playlist_items_tracks.json',
      )
      page.items[0] = { ...page.items[0], added_at: addedAt, added_by: { id: '', uri: 'spotify:user:' } }
      const out = await bare('epoch.json', page)
      expect(out.playlist_items.rejects).toEqual([])
      expect(out.playlist_items.rows[0]).toMatchObject({ added_at: null, added_by_id: null })
      // The neighbour's real values are untouched.
      expect(out.playlist_items.rows[1]!.added_at).toBeInstanceOf(Date)
      expect(out.playlist_items.rows[1]!.added_by_id).toEqual(expect.any(String))
    },
  )
})

describe('reject details', () => {
  it('name the deepest failing path and the value there, not the container', async () => {
    const page = recorded<{ items: { track: { album: { artists: Record<string, unknown>[] } } }[] }>(
      'playlist-items--zmb3--playlist_items_tracks.json',
    )
    page.items[0]!.track.album.artists[0]!.id = 42
    const out = await bare('deep.json', page)
    // The entry keeps its row (it reads only the album's id); the track keeps its row; the album cannot.
    expect(out.playlist_items.rejects).toEqual([])
    expect(out.albums.rejects).toMatchObject([
      {
        reason: 'invalid_payload',
        path: '$.items[0].track.album',
        detail: 'artists[0].id: Invalid input: expected string, received number (got 42)',
      },
    ])
    expect(out.artists.rejects).toMatchObject([
      {
        path: '$.items[0].track.album.artists[0]',
        detail: 'id: Invalid input: expected string, received number (got 42)',
      },
    ])
  })

  it('name where each nested record sits: entry, its track, the album, the artists of both', async () => {
    type Track = { album: { artists: Record<string, unknown>[] }; artists: Record<string, unknown>[] }
    const page = recorded<{ items: { track: Track }[] }>('playlist-items--zmb3--playlist_items_tracks.json')
    page.items[0]!.track.album.artists[0]!.id = 42
    page.items[0]!.track.artists[0]!.id = 43
    page.items[1]!.track.artists[0]!.id = 44
    const out = await bare('paths.json', page)
    expect(out.artists.rejects.map((r) => r.path)).toEqual([
      '$.items[0].track.album.artists[0]',
      '$.items[0].track.artists[0]',
      '$.items[1].track.artists[0]',
    ])
    expect(out.albums.rejects.map((r) => r.path)).toEqual(['$.items[0].track.album'])
    expect(out.tracks.rejects.map((r) => r.path)).toEqual(['$.items[0].track', '$.items[1].track'])
  })

  it('inside the content of a playlist entry, start at `item` or `track`', async () => {
    const page = recorded<{ items: { track: Record<string, unknown> }[] }>(
      'playlist-items--zmb3--playlist_items_tracks.json',
    )
    page.items[1]!.track.duration_ms = 'long'
    const out = await bare('duration.json', page)
    expect(out.playlist_items.rejects).toMatchObject([
      {
        path: '$.items[1]',
        detail: 'track.duration_ms: Invalid input: expected number, received string (got "long")',
      },
    ])
    const unknownKind = recorded<{ items: { track: Record<string, unknown> }[] }>(
      'playlist-items--zmb3--playlist_items_tracks.json',
    )
    unknownKind.items[0]!.track = { type: 'audiobook', id: 'x', name: 'A Book' }
    const kinds = await bare('kind.json', unknownKind)
    expect(kinds.playlist_items.rejects[0]!.detail).toMatch(/^track\.type: .* \(got "audiobook"\)$/)
  })
})
