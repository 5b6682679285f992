/** @module The `playlists` lake table: one row per playlist per run (metadata only, items are separate). */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

export const playlistsTable = defineTable({
  name: 'playlists',
  description: 'Spotify playlists as seen by a run: metadata, owner and the snapshot the items belong to.',
  columns: {
    playlist_id: col.string({ description: 'Spotify playlist id.' }),
    name: col.string({ nullable: true, description: 'Playlist name.' }),
    description: col.string({
      nullable: true,
      description: 'Playlist description as Spotify returns it (may contain HTML).',
    }),
    uri: col.string({ nullable: true, description: 'Spotify URI, spotify:playlist:<id>.' }),
    snapshot_id: col.string({
      nullable: true,
      description:
        'Version of the playlist; changes on every edit, metadata included. Null when Spotify sent none (2014 API).',
    }),
    owner_id: col.string({ nullable: true, description: 'Spotify user id of the owner.' }),
    owner_display_name: col.string({ nullable: true, description: 'Display name of the owner.' }),
    public: col.boolean({ nullable: true, description: 'Public flag; null when Spotify does not say.' }),
    collaborative: col.boolean({
      nullable: true,
      description: 'Whether other users may edit the playlist.',
    }),
    items_total: col.int32({
      nullable: true,
      description:
        'Number of items (tracks, episodes, local files); null when the response held no items page (development mode, playlists the user does not own).',
    }),
    followers: col.int64({
      nullable: true,
      description: 'Follower count; null when Spotify no longer returns it (development-mode apps).',
    }),
    image_url: col.string({ nullable: true, description: 'URL of the largest playlist image.' }),
  },
  primaryKey: ['playlist_id'],
})

export const PlaylistRowSchema = playlistsTable.rowSchema
export type PlaylistRow = z.output<typeof PlaylistRowSchema>
/** What a producer may pass to `PlaylistRowSchema.parse` (timestamps may be ISO strings). */
export type PlaylistRowInput = z.input<typeof PlaylistRowSchema>
