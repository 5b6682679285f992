/** @module The followed_artists source's unit: one account's followed artists, from a cursor. */
import { z } from 'zod'
import { AccountIdSchema } from '../../pipeline/accounts.ts'
import { SpotifyIdSchema } from '../../pipeline/ids.ts'

/**
 * One account's followed artists (`GET /me/following?type=artist`, cursor paging: `after` is the last
 * artist id of the previous page). A list longer than the call budget continues in a follow-up unit
 * from `after`, as part `part`.
 */
export const FollowedArtistsUnitSchema = z.object({
  type: z.literal('followed-artists'),
  accountId: AccountIdSchema,
  /** The last artist id of the previous part; absent on the first part. */
  after: SpotifyIdSchema.optional(),
  part: z.int().nonnegative().default(0),
})
export type FollowedArtistsUnit = z.infer<typeof FollowedArtistsUnitSchema>

/** Spotify's cap on `limit` for GET /me/following (1 to 50). */
export const FOLLOWED_ARTISTS_LIMIT = 50
