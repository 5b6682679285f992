/** @module The recently_played source's unit: one poll of one account's last plays. */
import { z } from 'zod'
import { AccountIdSchema } from '../../pipeline/accounts.ts'

/**
 * One poll of `GET /me/player/recently-played` for one account: the plays newer than the account's
 * cursor (`after`, Unix ms; see `apps/worker/src/sources/recently-played/state.ts`). Spotify keeps only
 * the last 50 plays, so this unit runs on its own, more frequent Cron Trigger.
 */
export const RecentlyPlayedUnitSchema = z.object({
  type: z.literal('recently-played'),
  accountId: AccountIdSchema,
})
export type RecentlyPlayedUnit = z.infer<typeof RecentlyPlayedUnitSchema>

/** Spotify's cap: the endpoint answers at most 50 plays per call and holds no more than the last 50. */
export const RECENTLY_PLAYED_LIMIT = 50
