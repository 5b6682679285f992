/** @module The `top_tracks` lake table: each connected account's top tracks per time range, a daily snapshot with ranks. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * GET /me/top/tracks is a current list only: one snapshot a day (the `dt`) keeps its history, so a
 * track's rank can be followed from day to day. The track's details are in `tracks` (its row comes from
 * the same response).
 */
export const topTracksTable = defineTable({
  name: 'top_tracks',
  description:
    "Each connected Spotify account's top tracks (GET /me/top/tracks) per time range, one row per rank; one snapshot per dt. Track details are in tracks.",
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    time_range: col.string({
      description:
        'The window of affinity: short_term (~4 weeks), medium_term (~6 months) or long_term (~1 year).',
    }),
    rank: col.int32({ description: '1-based position in the list (1 = the top track).' }),
    track_id: col.string({ description: 'Spotify track id.' }),
    track_name: col.string({ nullable: true, description: 'Track name as listed; null when not sent.' }),
    artist_ids: col.list.string({
      nullable: true,
      description: "Spotify ids of the track's artists, in credited order; null when not sent.",
    }),
    artist_names: col.list.string({
      nullable: true,
      description: "Names of the track's artists, parallel to artist_ids; null when not sent.",
    }),
  },
  primaryKey: ['account_id', 'time_range', 'rank'],
})

export const TopTrackRowSchema = topTracksTable.rowSchema
export type TopTrackRow = z.output<typeof TopTrackRowSchema>
export type TopTrackRowInput = z.input<typeof TopTrackRowSchema>
