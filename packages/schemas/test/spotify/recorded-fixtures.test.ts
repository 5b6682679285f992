/** @module Real recorded Spotify responses parse, and the known quirks come out as the pipeline expects. */
import { recorded, recordedNames } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import {
  AlbumSchema,
  ArtistAlbumsPageSchema,
  isLocalTrack,
  PlaylistItemsPageSchema,
  PlaylistProjectionSchema,
  PlaylistSchema,
  playlistContentKind,
  playlistItemContent,
  playlistItemsPage,
  RecentlyPlayedSchema,
  SeveralTracksSchema,
  TopTracksPageSchema,
  UserPlaylistsPageSchema,
} from '../../src/spotify/index.ts'
import { PlaylistItemsFragmentSchema, schemaForFixture } from './support/fixture-schemas.ts'

const FILES = recordedNames()
const load = (name: string): unknown => recorded(name)

describe('every recorded fixture parses with its endpoint schema', () => {
  it('covers the folder', () => {
    expect(FILES.length).toBe(33)
  })

  it.each(FILES)('%s', (name) => {
    const raw = load(name)
    const parsed = schemaForFixture(name).safeParse(raw)
    expect(parsed.error?.issues ?? []).toEqual([])
    // Loose objects: every key Spotify sent survives parsing (nothing stripped, nothing added).
    expect(parsed.data).toEqual(raw)
  })
})

describe('playlist quirks', () => {
  it('2026 shape: reads `items`/`item` when both new and legacy names are present', () => {
    const playlist = PlaylistSchema.parse(
      load('playlist--rspotify--test_full_playlist_accepts_items_field.json'),
    )
    const page = playlistItemsPage(playlist)
    expect(page?.href).toContain('/items?')
    expect(page?.total).toBe(5)
    const content = playlistItemContent(page!.items[0]!)
    expect(content?.id).toBe('4rzfv0JLZfVhOhbSQ8o5jZ')
    expect(content && playlistContentKind(content)).toBe('track')
  })

  it('legacy shape: falls back to `tracks`/`track`', () => {
    const playlist = PlaylistSchema.parse(load('playlist--tssdk--validPlaylist.json'))
    expect(playlist.items).toBeUndefined()
    const page = playlistItemsPage(playlist)
    expect(page?.items).toHaveLength(74)
    expect(page?.items.every((entry) => playlistItemContent(entry)?.type === 'track')).toBe(true)
    expect(playlist.images?.[0]).toMatchObject({ height: null, width: null })
  })

  it('2014 beta playlist: `images: [null]`, null `added_by`, no snapshot_id', () => {
    const playlist = PlaylistSchema.parse(load('playlist--jmperez--playlist.json'))
    expect(playlist.images).toEqual([null])
    expect(playlist.snapshot_id).toBeUndefined()
    expect(playlist.description).toBeNull()
    const items = playlistItemsPage(playlist)?.items ?? []
    expect(items).toHaveLength(30)
    expect(items.every((entry) => entry.added_by === null)).toBe(true)
  })

  it('a removed track comes back as null content', () => {
    const page = PlaylistItemsFragmentSchema.parse(
      load('playlist-items--exportify--handlers-nullTrackHandlers.json'),
    )
    expect(page.items.map((entry) => playlistItemContent(entry))).toEqual([null])
  })

  it('local files: null ids, `spotify:local:` uri, told apart by isLocalTrack', () => {
    const page = PlaylistItemsFragmentSchema.parse(
      load('playlist-items--exportify--handlers-localTrackHandlers.json'),
    )
    const contents = page.items.map((entry) => playlistItemContent(entry))
    expect(contents).toHaveLength(2)
    for (const content of contents) {
      expect(isLocalTrack(content)).toBe(true)
      expect(content).toMatchObject({
        id: null,
        href: null,
        is_local: true,
        album: { id: null, release_date: null },
      })
      expect((content as { uri: string }).uri).toMatch(/^spotify:local:/)
    }
  })

  it('local files with nulls omitted (re-encoded) and episodes in one playlist', () => {
    const playlist = PlaylistSchema.parse(load('playlist--schorn--Local-Songs.json'))
    const kinds = playlistItemsPage(playlist)?.items.map((entry) => {
      const content = playlistItemContent(entry)
      return content && playlistContentKind(content)
    })
    expect(kinds).toEqual([
      'local-track',
      'local-track',
      'local-track',
      'episode',
      'episode',
      'episode',
      'episode',
    ])
  })

  it('episodes and tracks mixed in a page of playlist items', () => {
    const page = PlaylistItemsPageSchema.parse(
      load('playlist-items--zmb3--playlist_items_episodes_and_tracks.json'),
    )
    const contents = page.items.map((entry) => playlistItemContent(entry))
    expect(contents.map((c) => c && playlistContentKind(c))).toEqual(['episode', 'episode', 'track', 'track'])
    const episode = contents[0]
    expect(episode && 'show' in episode && episode.show.type).toBe('show')
  })

  it('an episode in track shape is recognised, not mistaken for a music track', () => {
    const page = PlaylistItemsPageSchema.parse(
      load('playlist-items--rspotify--test_deserialization_playlist_item_with_malformed_episodes.json'),
    )
    const content = playlistItemContent(page.items[0]!)
    expect(content && playlistContentKind(content)).toBe('track-shaped-episode')
    expect(content).toMatchObject({ id: '4IBGQd8aV4j6WGqGOjdJmE', type: 'episode', album: { type: 'show' } })
  })

  it('a `fields=` projection parses with the projection schema but not as a full playlist', () => {
    const raw = load('playlist-fields--zmb3--get_playlist_opt.json')
    const projection = PlaylistProjectionSchema.parse(raw)
    const items = playlistItemsPage(projection)?.items ?? []
    expect(items).toHaveLength(40)
    expect(items[0]?.added_by?.id).toBe('nederlandse_top_40')
    expect(playlistItemContent(items[0]!)?.album?.name).toBe('Calm Down')
    expect(PlaylistSchema.safeParse(raw).success).toBe(false)
  })
})

describe('catalog and library quirks', () => {
  it('several tracks: an unknown id is a null slot, order kept', () => {
    const { tracks } = SeveralTracksSchema.parse(load('several-tracks--zmb3--find_tracks_notfound.json'))
    expect(tracks.map((track) => track?.id ?? null)).toEqual(['0eGsygTp906u18L0Oimnem', null])
  })

  it('a page of playlists may hold a null entry', () => {
    const page = UserPlaylistsPageSchema.parse(
      load('paging-search-playlists--rspotify--test_null_item_in_page.json'),
    )
    expect(page.items).toEqual([null])
  })

  it('user playlists: legacy `tracks: {href,total}` ref and both next/previous links', () => {
    const page = UserPlaylistsPageSchema.parse(load('user-playlists--zmb3--current_users_playlists.json'))
    expect(page).toMatchObject({ offset: 20, total: 42 })
    expect(page.next).toContain('offset=25')
    expect(page.previous).toContain('offset=15')
    expect(page.items.every((p) => typeof p?.tracks?.total === 'number')).toBe(true)
  })

  it('recently played: cursor paging, null context on some plays', () => {
    const page = RecentlyPlayedSchema.parse(load('recently-played--zmb3--player_recently_played.json'))
    expect(page.items).toHaveLength(20)
    expect(page.cursors).toEqual({ after: '1495915674720', before: '1495842394544' })
    expect(page.items.filter((play) => play.context === null)).toHaveLength(6)
  })

  it('top tracks fetched with a market keep `linked_from`', () => {
    const page = TopTracksPageSchema.parse(load('top-tracks--zmb3--current_users_top_tracks.json'))
    const linked = page.items.flatMap((track) => ('linked_from' in track && track.linked_from ? [track] : []))
    expect(linked).toHaveLength(5)
  })

  it('2014 artist albums: simplified albums without artists or release_date', () => {
    const page = ArtistAlbumsPageSchema.parse(load('artist-albums--jmperez--artist_albums.json'))
    expect(page.items).toHaveLength(20)
    expect(page.items[0]?.release_date).toBeUndefined()
    expect(page.next).toContain('offset=20')
  })

  it('a full album embeds its first page of simplified tracks', () => {
    const album = AlbumSchema.parse(load('album--zmb3--find_album.json'))
    expect(album.tracks.items).toHaveLength(13)
    expect(album.tracks.items.every((track) => track.preview_url === null)).toBe(true)
  })
})
