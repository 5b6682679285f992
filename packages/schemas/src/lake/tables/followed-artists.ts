/** @module The `followed_artists` lake table: the artists each connected account follows, a daily snapshot. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * GET /me/following?type=artist is a current list without dates: one snapshot a day (the `dt`) says
 * when an artist was first and last followed. The artist's details are in `artists`.
 */
export const followedArtistsTable = defineTable({
  name: 'followed_artists',
  description:
    'The artists each connected Spotify account follows (GET /me/following?type=artist), one row per account and artist; one snapshot per dt. Artist details are in artists.',
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    artist_id: col.string({ description: 'Spotify artist id.' }),
    artist_name: col.string({ nullable: true, description: 'Artist name as listed; null when not sent.' }),
  },
  primaryKey: ['account_id', 'artist_id'],
})

export const FollowedArtistRowSchema = followedArtistsTable.rowSchema
export type FollowedArtistRow = z.output<typeof FollowedArtistRowSchema>
export type FollowedArtistRowInput = z.input<typeof FollowedArtistRowSchema>
