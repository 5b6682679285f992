/** @module The `tracks` lake table: one row per catalog track per run. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

export const tracksTable = defineTable({
  name: 'tracks',
  description: 'Spotify catalog tracks: identity, album, artists and the fields Spotify still returns.',
  columns: {
    track_id: col.string({ description: 'Spotify track id.' }),
    name: col.string({ nullable: true, description: 'Track name.' }),
    uri: col.string({ nullable: true, description: 'Spotify URI, spotify:track:<id>.' }),
    duration_ms: col.int32({ nullable: true, description: 'Duration in milliseconds.' }),
    explicit: col.boolean({ nullable: true, description: 'Whether the track has explicit lyrics.' }),
    isrc: col.string({
      nullable: true,
      description: 'International Standard Recording Code (external_ids.isrc).',
    }),
    album_id: col.string({ nullable: true, description: 'Spotify album id.' }),
    album_name: col.string({ nullable: true, description: 'Album name.' }),
    disc_number: col.int32({ nullable: true, description: 'Disc number (usually 1).' }),
    track_number: col.int32({ nullable: true, description: 'Position of the track on its disc.' }),
    artist_ids: col.list.string({
      nullable: true,
      description: 'Spotify artist ids in credit order; null when Spotify sent no artists list.',
    }),
    artist_names: col.list.string({ nullable: true, description: 'Artist names, parallel to artist_ids.' }),
    is_playable: col.boolean({
      nullable: true,
      description: 'Playable in the market asked for; null without a market.',
    }),
    popularity: col.int32({
      nullable: true,
      description: 'Popularity 0-100; null when Spotify no longer returns it (development-mode apps).',
    }),
  },
  primaryKey: ['track_id'],
})

export const TrackRowSchema = tracksTable.rowSchema
export type TrackRow = z.output<typeof TrackRowSchema>
export type TrackRowInput = z.input<typeof TrackRowSchema>
