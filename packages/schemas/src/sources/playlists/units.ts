/** @module The playlists source's units: one account's playlist listing, and one part of one playlist. */
import { z } from 'zod'
import { AccountIdSchema } from '../../pipeline/accounts.ts'
import { SpotifyIdSchema } from '../../pipeline/ids.ts'

/** One account's playlists (`GET /me/playlists`): lists them, then plans one `playlist` unit each. */
export const MyPlaylistsUnitSchema = z.object({
  type: z.literal('my-playlists'),
  accountId: AccountIdSchema,
  /** The account's Spotify user id: tells its own playlists from followed ones without a `GET /me`. */
  userId: z.string().min(1),
})
export type MyPlaylistsUnit = z.infer<typeof MyPlaylistsUnitSchema>

/** Playlist metadata (snapshot check) and its items from `offset`; continues in a new message past a call budget. */
export const PlaylistUnitSchema = z.object({
  type: z.literal('playlist'),
  playlistId: SpotifyIdSchema,
  /** Whose token reads it (items of private and collaborative playlists need a member's); none: the app's. */
  accountId: AccountIdSchema.optional(),
  offset: z.int().nonnegative().default(0),
  /** Snapshot seen by the first part, so later parts of one playlist stay consistent. */
  snapshotId: z.string().optional(),
  part: z.int().nonnegative().default(0),
})
export type PlaylistUnit = z.infer<typeof PlaylistUnitSchema>
