/** @module The `playlist_items` lake table: one row per position in a playlist snapshot. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * What sits at a position: a catalog track, a podcast episode, a local file (no Spotify id),
 * or `unavailable` when Spotify returned a null item (a removed track) - kept so positions add up.
 */
export const PLAYLIST_ITEM_TYPES = ['track', 'episode', 'local', 'unavailable'] as const
export type PlaylistItemType = (typeof PLAYLIST_ITEM_TYPES)[number]

export const playlistItemsTable = defineTable({
  name: 'playlist_items',
  description:
    'Items of a playlist snapshot by position. The same track may appear twice, so position is part of the key.',
  columns: {
    playlist_id: col.string({ description: 'Spotify playlist id.' }),
    position: col.int32({ description: 'Zero-based position of the item in the playlist.' }),
    snapshot_id: col.string({
      nullable: true,
      description: 'Playlist snapshot the position refers to; null when Spotify sent none (2014 API).',
    }),
    item_type: col.string({
      oneOf: PLAYLIST_ITEM_TYPES,
      description:
        'track, episode, local (local file, no Spotify id) or unavailable (Spotify returned null).',
    }),
    item_id: col.string({
      nullable: true,
      description: 'Spotify id of the track or episode; null for local files and when Spotify sent none.',
    }),
    item_uri: col.string({ nullable: true, description: 'Spotify URI (spotify:local:... for local files).' }),
    item_name: col.string({
      nullable: true,
      description: 'Track or episode name (the only name a local file has).',
    }),
    duration_ms: col.int32({ nullable: true, description: 'Duration in milliseconds.' }),
    album_id: col.string({
      nullable: true,
      description: 'Spotify album id of a track; null for episodes and local files.',
    }),
    artist_ids: col.list.string({
      nullable: true,
      description:
        'Spotify artist ids of a track, in credit order; null for episodes, local files and unavailable items, or when Spotify sent no artists list.',
    }),
    artist_names: col.list.string({
      nullable: true,
      description: 'Artist names, parallel to artist_ids (local files have names from their tags only).',
    }),
    is_local: col.boolean({ description: 'Whether the item is a local file.' }),
    added_at: col.timestamp({
      nullable: true,
      description: 'When the item was added; null for very old playlists and the placeholder 1970-01-01.',
    }),
    added_by_id: col.string({
      nullable: true,
      description: 'Spotify user id of who added the item; null for Spotify itself (the placeholder "").',
    }),
  },
  primaryKey: ['playlist_id', 'position'],
})

export const PlaylistItemRowSchema = playlistItemsTable.rowSchema
export type PlaylistItemRow = z.output<typeof PlaylistItemRowSchema>
export type PlaylistItemRowInput = z.input<typeof PlaylistItemRowSchema>
