/** @module The `albums` lake table: one row per album per run. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

// Spotify's precisions; kept local so the lake does not depend on payload schemas.
const releaseDatePrecisions = ['year', 'month', 'day'] as const

export const albumsTable = defineTable({
  name: 'albums',
  description: 'Spotify albums: release, identifiers and artists.',
  columns: {
    album_id: col.string({ description: 'Spotify album id.' }),
    name: col.string({ nullable: true, description: 'Album name.' }),
    uri: col.string({ nullable: true, description: 'Spotify URI, spotify:album:<id>.' }),
    album_type: col.string({
      nullable: true,
      description: 'album, single or compilation as Spotify returns it (older responses are upper-case).',
    }),
    total_tracks: col.int32({
      nullable: true,
      description: 'Number of tracks on the album; null when Spotify did not send it (2015-era albums).',
    }),
    release_date: col.string({
      nullable: true,
      description:
        'Release date as Spotify gives it: YYYY, YYYY-MM or YYYY-MM-DD; null when unknown (absent, or the placeholder 0000).',
    }),
    release_date_precision: col.string({
      nullable: true,
      oneOf: releaseDatePrecisions,
      description: 'Precision of release_date: year, month or day; null when release_date is null.',
    }),
    release_year: col.int32({
      nullable: true,
      description: 'Year part of release_date, for easy filtering; null when release_date is null.',
    }),
    upc: col.string({ nullable: true, description: 'Universal Product Code (external_ids.upc).' }),
    label: col.string({
      nullable: true,
      description: 'Record label; null when Spotify no longer returns it.',
    }),
    artist_ids: col.list.string({
      nullable: true,
      description: 'Spotify artist ids in credit order; null when Spotify sent no artists list.',
    }),
    artist_names: col.list.string({ nullable: true, description: 'Artist names, parallel to artist_ids.' }),
    genres: col.list.string({
      nullable: true,
      description: 'Genres (deprecated by Spotify, usually empty); null when Spotify no longer returns them.',
    }),
    popularity: col.int32({
      nullable: true,
      description: 'Popularity 0-100; null when Spotify no longer returns it.',
    }),
    image_url: col.string({ nullable: true, description: 'URL of the largest cover image.' }),
  },
  primaryKey: ['album_id'],
})

export const AlbumRowSchema = albumsTable.rowSchema
export type AlbumRow = z.output<typeof AlbumRowSchema>
export type AlbumRowInput = z.input<typeof AlbumRowSchema>
