/** @module The Spotify payload schemas and helpers run inside workerd (the Workers runtime the pipeline uses). */

import playlist2026 from '@spotify-lake/spotify-fixtures/recorded/playlist--rspotify--test_full_playlist_accepts_items_field.json'
import localSongs from '@spotify-lake/spotify-fixtures/recorded/playlist--schorn--Local-Songs.json'
import malformedEpisode from '@spotify-lake/spotify-fixtures/recorded/playlist-items--rspotify--test_deserialization_playlist_item_with_malformed_episodes.json'
import severalTracks from '@spotify-lake/spotify-fixtures/recorded/several-tracks--zmb3--find_tracks_notfound.json'
import { describe, expect, it } from 'vitest'
import {
  isLocalTrack,
  PlaylistItemsPageSchema,
  PlaylistSchema,
  playlistContentKind,
  playlistItemContent,
  playlistItemsPage,
  SeveralTracksSchema,
} from '../../src/spotify/index.ts'

describe('spotify payloads in workerd', () => {
  it('runs inside workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
  })

  it('parses a 2026-shape playlist and reads its items via `items`/`item`', () => {
    const playlist = PlaylistSchema.parse(playlist2026)
    const page = playlistItemsPage(playlist)
    expect(page?.href).toContain('/items?')
    expect(playlistItemContent(page!.items[0]!)?.id).toBe('4rzfv0JLZfVhOhbSQ8o5jZ')
  })

  it('tells local files, episodes and track-shaped episodes apart', () => {
    const playlist = PlaylistSchema.parse(localSongs)
    const contents = playlistItemsPage(playlist)?.items.map((entry) => playlistItemContent(entry)) ?? []
    expect(contents.filter((c) => isLocalTrack(c))).toHaveLength(3)
    const page = PlaylistItemsPageSchema.parse(malformedEpisode)
    const content = playlistItemContent(page.items[0]!)
    expect(content && playlistContentKind(content)).toBe('track-shaped-episode')
  })

  it('keeps the null slot of an unknown id in several tracks', () => {
    expect(SeveralTracksSchema.parse(severalTracks).tracks[1]).toBeNull()
  })
})
