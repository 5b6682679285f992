/** @module The `plays` lake table: one row per play of a connected account (GET /me/player/recently-played). */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * An account's listening history as the API shows it: Spotify keeps only the last 50 plays, so the
 * recently_played source polls often and a play is kept once, whichever polls saw it. The track's
 * details are in `tracks` (its row comes from the same response).
 */
export const playsTable = defineTable({
  name: 'plays',
  description:
    'Plays of each connected Spotify account (GET /me/player/recently-played), one row per play; track details are in tracks.',
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    played_at: col.timestamp({
      description: 'When the play ended (Spotify records it at about the end of the play), UTC.',
    }),
    track_id: col.string({ description: 'Spotify track id.' }),
    context_type: col.string({
      nullable: true,
      description:
        'What the track was played from: artist, playlist, album, show...; null when played outside a context.',
    }),
    context_uri: col.string({
      nullable: true,
      description: 'Spotify URI of the context; null when played outside a context.',
    }),
  },
  primaryKey: ['account_id', 'played_at', 'track_id'],
})

export const PlayRowSchema = playsTable.rowSchema
export type PlayRow = z.output<typeof PlayRowSchema>
export type PlayRowInput = z.input<typeof PlayRowSchema>
