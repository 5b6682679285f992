/** @module The `account_playlists` lake table: which playlists each connected account lists, one row per account and playlist per run. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * The user-scoped answer of `GET /me/playlists`: the link between an account and a playlist it owns,
 * collaborates on or follows. The playlist itself is one entity in `playlists` whoever lists it; this
 * table says who lists it, so two accounts listing one playlist are two rows here and one there.
 */
export const accountPlaylistsTable = defineTable({
  name: 'account_playlists',
  description:
    "Which playlists each connected Spotify account lists (GET /me/playlists) as seen by a run: owned, collaborated on or followed. The playlist's own row is in playlists.",
  columns: {
    account_id: col.string({
      description:
        "The connected account (GET /me's stable account_id, or its user id when Spotify sends none).",
    }),
    user_id: col.string({ description: 'Spotify user id of the account.' }),
    playlist_id: col.string({ description: 'Spotify playlist id.' }),
    position: col.int32({ description: "Zero-based position in the account's listing." }),
    owner_id: col.string({
      nullable: true,
      description: 'Spotify user id of the playlist owner; null when the listing names none.',
    }),
    is_owner: col.boolean({
      nullable: true,
      description:
        'Whether the account owns the playlist (owner_id = user_id); null when the owner is not known.',
    }),
    collaborative: col.boolean({
      nullable: true,
      description: 'Whether other users may edit the playlist; null when Spotify does not say.',
    }),
    public: col.boolean({
      nullable: true,
      description: 'Public flag as listed; null when Spotify does not say.',
    }),
    snapshot_id: col.string({
      nullable: true,
      description: 'Snapshot the listing showed (null when Spotify sent none).',
    }),
    items_total: col.int32({ nullable: true, description: 'Item count the listing showed.' }),
  },
  primaryKey: ['account_id', 'playlist_id'],
})

export const AccountPlaylistRowSchema = accountPlaylistsTable.rowSchema
export type AccountPlaylistRow = z.output<typeof AccountPlaylistRowSchema>
export type AccountPlaylistRowInput = z.input<typeof AccountPlaylistRowSchema>
