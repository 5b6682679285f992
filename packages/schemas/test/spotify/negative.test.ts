/** @module The schemas reject what must be rejected, so they are not `z.any()` in disguise. */
import { recorded } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import {
  AlbumSchema,
  ArtistSchema,
  ImageSchema,
  isLocalTrack,
  PlaylistItemSchema,
  PlaylistItemsPageSchema,
  PlaylistSchema,
  pagingSchema,
  RecentlyPlayedSchema,
  SeveralTracksSchema,
  SpotifyErrorSchema,
  spotifyErrorMessage,
  TokenResponseSchema,
  TolerantPlaylistItemsPageSchema,
  TolerantPlaylistSchema,
  TrackSchema,
} from '../../src/spotify/index.ts'

const fixture = <T = Record<string, unknown>>(name: string): T => recorded<T>(name)

/** A real catalog track, so each case below differs from an accepted payload by exactly one change. */
const track = () => fixture('track--tssdk--validTrack.json')

describe('tracks', () => {
  it('accepts the unmodified base payload (so each rejection below is caused by its one change)', () => {
    expect(TrackSchema.safeParse(track()).success).toBe(true)
  })

  it('rejects a non-local track without an id, or with a null id', () => {
    const { id: _id, ...withoutId } = track()
    expect(TrackSchema.safeParse(withoutId).success).toBe(false)
    expect(TrackSchema.safeParse({ ...track(), id: null }).success).toBe(false)
  })

  it('rejects a "local" track whose uri is not a spotify:local: uri', () => {
    expect(TrackSchema.safeParse({ ...track(), id: null, is_local: true }).success).toBe(false)
  })

  it('rejects wrong types', () => {
    expect(TrackSchema.safeParse({ ...track(), duration_ms: '123' }).success).toBe(false)
    expect(TrackSchema.safeParse({ ...track(), duration_ms: 1.5 }).success).toBe(false)
    expect(TrackSchema.safeParse({ ...track(), explicit: 'no' }).success).toBe(false)
    expect(TrackSchema.safeParse({ ...track(), artists: {} }).success).toBe(false)
    expect(TrackSchema.safeParse({ ...track(), type: 'album' }).success).toBe(false)
    expect(TrackSchema.safeParse(null).success).toBe(false)
    expect(TrackSchema.safeParse('track').success).toBe(false)
  })

  it('rejects a catalog artist without an id inside a track', () => {
    const t = track() as { artists: Record<string, unknown>[] }
    expect(TrackSchema.safeParse({ ...t, artists: [{ ...t.artists[0], id: null }] }).success).toBe(false)
  })

  it('rejects an album with an unknown release date precision', () => {
    const t = track() as { album: Record<string, unknown> }
    const album = { ...t.album, release_date_precision: 'week' }
    expect(TrackSchema.safeParse({ ...t, album }).success).toBe(false)
  })

  it('still accepts unknown extra fields (forward compatibility), keeping them', () => {
    const parsed = TrackSchema.parse({ ...track(), brand_new_field: { x: 1 } })
    expect(parsed).toHaveProperty('brand_new_field', { x: 1 })
  })
})

describe('playlists', () => {
  const item = () =>
    (fixture('playlist-items--zmb3--playlist_items_tracks.json') as { items: Record<string, unknown>[] })
      .items[0]!

  it('rejects a playlist item with neither `item` nor `track`', () => {
    const { track: _track, ...neither } = item()
    expect(PlaylistItemSchema.safeParse(item()).success).toBe(true)
    expect(PlaylistItemSchema.safeParse(neither).success).toBe(false)
  })

  it('rejects item content that is neither a track nor an episode', () => {
    expect(PlaylistItemSchema.safeParse({ ...item(), track: { type: 'track', name: 'x' } }).success).toBe(
      false,
    )
    expect(PlaylistItemSchema.safeParse({ ...item(), item: 42 }).success).toBe(false)
  })

  it('rejects a full playlist without an id or with a wrong type', () => {
    const playlist = fixture('playlist--zmb3--get_playlist.json')
    expect(PlaylistSchema.safeParse(playlist).success).toBe(true)
    const { id: _id, ...withoutId } = playlist
    expect(PlaylistSchema.safeParse(withoutId).success).toBe(false)
    expect(PlaylistSchema.safeParse({ ...playlist, type: 'album' }).success).toBe(false)
    expect(PlaylistSchema.safeParse({ ...playlist, items: { href: 'x', total: 1 } }).success).toBe(false)
  })

  it('the tolerant schemas read an entry off the schema as null and keep the others; the page shape stays strict', () => {
    const page = fixture('playlist-items--zmb3--playlist_items_tracks.json') as { items: unknown[] }
    const odd = { ...item(), track: { type: 'audiobook', id: 'x', name: 'A book' } }
    const mixed = { ...page, items: [page.items[0], odd, page.items[1]] }
    expect(PlaylistItemsPageSchema.safeParse(mixed).success).toBe(false)
    const tolerant = TolerantPlaylistItemsPageSchema.parse(mixed)
    expect(tolerant.items.map((e) => (e === null ? null : 'item'))).toEqual(['item', null, 'item'])
    expect(tolerant.items[0]).toEqual(PlaylistItemSchema.parse(page.items[0]))
    expect(TolerantPlaylistItemsPageSchema.safeParse({ ...mixed, total: 'many' }).success).toBe(false)

    const playlist = fixture('playlist--zmb3--get_playlist.json') as { tracks: { items: unknown[] } }
    const withOdd = { ...playlist, tracks: { ...playlist.tracks, items: [odd, ...playlist.tracks.items] } }
    expect(PlaylistSchema.safeParse(withOdd).success).toBe(false)
    const read = TolerantPlaylistSchema.parse(withOdd)
    expect(read.tracks?.items[0]).toBeNull()
    expect(read.tracks?.items).toHaveLength(playlist.tracks.items.length + 1)
    expect(TolerantPlaylistSchema.safeParse({ ...withOdd, type: 'album' }).success).toBe(false)
  })
})

describe('paging, albums, artists, images', () => {
  const page = pagingSchema(ImageSchema)
  const base = { href: 'h', items: [], limit: 20, offset: 0, total: 0, next: null, previous: null }

  it('paging requires its counters and typed items', () => {
    expect(page.safeParse(base).success).toBe(true)
    expect(page.safeParse({ ...base, total: undefined }).success).toBe(false)
    expect(page.safeParse({ ...base, items: [{ url: 1 }] }).success).toBe(false)
    expect(page.safeParse({ ...base, next: 3 }).success).toBe(false)
  })

  it('cursor paging rejects an offset page without cursors', () => {
    expect(RecentlyPlayedSchema.safeParse(base).success).toBe(false)
  })

  it('a full album must carry its tracks page and artists', () => {
    const album = fixture('album--zmb3--find_album.json')
    const { tracks: _tracks, ...withoutTracks } = album
    expect(AlbumSchema.safeParse(album).success).toBe(true)
    expect(AlbumSchema.safeParse(withoutTracks).success).toBe(false)
  })

  it('an artist needs an id and a string name', () => {
    const artist = fixture('artist--zmb3--find_artist.json')
    expect(ArtistSchema.safeParse({ ...artist, name: null }).success).toBe(false)
    const { id: _id, ...withoutId } = artist
    expect(ArtistSchema.safeParse(withoutId).success).toBe(false)
  })

  it('several tracks accepts null slots but not missing the array', () => {
    expect(SeveralTracksSchema.safeParse({ tracks: [null] }).success).toBe(true)
    expect(SeveralTracksSchema.safeParse({}).success).toBe(false)
    expect(SeveralTracksSchema.safeParse({ tracks: [{}] }).success).toBe(false)
  })
})

describe('auth and errors', () => {
  const token = { access_token: 'BQD...', token_type: 'Bearer', expires_in: 3600, scope: 'user-read-private' }

  it('token response: requires access_token and expires_in; refresh_token and scope are optional', () => {
    expect(TokenResponseSchema.parse(token)).toEqual(token)
    expect(TokenResponseSchema.parse({ ...token, refresh_token: 'AQB...' }).refresh_token).toBe('AQB...')
    const { scope: _scope, ...clientCredentials } = token
    expect(TokenResponseSchema.safeParse(clientCredentials).success).toBe(true)
    expect(TokenResponseSchema.safeParse({ ...token, access_token: '' }).success).toBe(false)
    expect(TokenResponseSchema.safeParse({ ...token, expires_in: '3600' }).success).toBe(false)
    const { access_token: _a, ...withoutToken } = token
    expect(TokenResponseSchema.safeParse(withoutToken).success).toBe(false)
  })

  it('error bodies: both shapes parse and read as one line; others are rejected', () => {
    const api = SpotifyErrorSchema.parse({ error: { status: 429, message: 'API rate limit exceeded' } })
    expect(spotifyErrorMessage(api)).toBe('429 API rate limit exceeded')
    const accounts = SpotifyErrorSchema.parse({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    })
    expect(spotifyErrorMessage(accounts)).toBe('invalid_grant: Invalid refresh token')
    expect(SpotifyErrorSchema.safeParse({ error: { status: 200, message: 'ok' } }).success).toBe(false)
    expect(SpotifyErrorSchema.safeParse({ message: 'nope' }).success).toBe(false)
    expect(SpotifyErrorSchema.safeParse({ error: { status: 404 } }).success).toBe(false)
  })
})

describe('catalog and local tracks partition on is_local / spotify:local: uri', () => {
  const local = () =>
    (
      fixture('playlist-items--exportify--handlers-localTrackHandlers.json') as {
        items: { track: Record<string, unknown> }[]
      }
    ).items[0]!.track

  it('a local file parses as local and is flagged by isLocalTrack', () => {
    const parsed = TrackSchema.parse(local())
    expect(isLocalTrack(parsed)).toBe(true)
    expect(parsed.id).toBeNull()
  })

  it('a catalog-looking track with a spotify:local: uri but is_local false is rejected, not misfiled', () => {
    expect(TrackSchema.safeParse({ ...track(), uri: 'spotify:local:a:b:c:1' }).success).toBe(false)
  })

  it('a local file without its name or duration is rejected', () => {
    expect(TrackSchema.safeParse({ ...local(), name: undefined }).success).toBe(false)
    expect(TrackSchema.safeParse({ ...local(), duration_ms: null }).success).toBe(false)
  })

  it('isLocalTrack reads raw JSON too, by flag or by uri, and is false for catalog tracks and non-objects', () => {
    expect(isLocalTrack({ uri: 'spotify:local:x::y:3' })).toBe(true)
    expect(isLocalTrack({ is_local: true })).toBe(true)
    expect(isLocalTrack(track())).toBe(false)
    expect(isLocalTrack(null)).toBe(false)
    expect(isLocalTrack('spotify:local:x')).toBe(false)
  })
})
