/** @module The `top_artists` lake table: each connected account's top artists per time range, a daily snapshot with ranks. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * GET /me/top/artists is a current list only: one snapshot a day (the `dt`) keeps its history, so an
 * artist's rank can be followed from day to day (insight `top-artists-over-time`). The artist's details
 * are in `artists` (its row comes from the same response).
 */
export const topArtistsTable = defineTable({
  name: 'top_artists',
  description:
    "Each connected Spotify account's top artists (GET /me/top/artists) per time range, one row per rank; one snapshot per dt. Artist details are in artists.",
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    time_range: col.string({
      description:
        'The window of affinity: short_term (~4 weeks), medium_term (~6 months) or long_term (~1 year).',
    }),
    rank: col.int32({ description: '1-based position in the list (1 = the top artist).' }),
    artist_id: col.string({ description: 'Spotify artist id.' }),
    artist_name: col.string({ nullable: true, description: 'Artist name as listed; null when not sent.' }),
  },
  primaryKey: ['account_id', 'time_range', 'rank'],
})

export const TopArtistRowSchema = topArtistsTable.rowSchema
export type TopArtistRow = z.output<typeof TopArtistRowSchema>
export type TopArtistRowInput = z.input<typeof TopArtistRowSchema>
