/** @module The `artists` lake table: one row per artist per run. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

export const artistsTable = defineTable({
  name: 'artists',
  description: 'Spotify artists: name, genres and the audience numbers Spotify still returns.',
  columns: {
    artist_id: col.string({ description: 'Spotify artist id.' }),
    name: col.string({ nullable: true, description: 'Artist name.' }),
    uri: col.string({ nullable: true, description: 'Spotify URI, spotify:artist:<id>.' }),
    genres: col.list.string({
      nullable: true,
      description:
        'Genres (deprecated by Spotify, may be empty); null when not sent (development mode, artists inside tracks).',
    }),
    popularity: col.int32({
      nullable: true,
      description: 'Popularity 0-100; null when Spotify no longer returns it.',
    }),
    followers: col.int64({
      nullable: true,
      description: 'Follower count; null when Spotify no longer returns it (development-mode apps).',
    }),
    image_url: col.string({ nullable: true, description: 'URL of the largest artist image.' }),
  },
  primaryKey: ['artist_id'],
})

export const ArtistRowSchema = artistsTable.rowSchema
export type ArtistRow = z.output<typeof ArtistRowSchema>
export type ArtistRowInput = z.input<typeof ArtistRowSchema>
