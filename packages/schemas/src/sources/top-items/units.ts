/** @module The top_items source's unit: one ranked list (tracks or artists, one time range) of one account. */
import { z } from 'zod'
import { AccountIdSchema } from '../../pipeline/accounts.ts'

/**
 * Spotify's three windows of affinity (`time_range` of GET /me/top/{type}): `short_term` ~4 weeks,
 * `medium_term` ~6 months (the API's default), `long_term` ~1 year.
 */
export const TOP_TIME_RANGES = ['short_term', 'medium_term', 'long_term'] as const
export const TopTimeRangeSchema = z.enum(TOP_TIME_RANGES)
export type TopTimeRange = z.infer<typeof TopTimeRangeSchema>

/** The two ranked lists: `GET /me/top/tracks` and `GET /me/top/artists`. */
export const TopItemTypeSchema = z.enum(['tracks', 'artists'])
export type TopItemType = z.infer<typeof TopItemTypeSchema>

/**
 * One account's top `itemType` over one `timeRange` (`GET /me/top/{itemType}?time_range=...`, offset
 * paging, 50 a page): the daily run plans six per account, so each is at most two calls.
 */
export const TopItemsUnitSchema = z.object({
  type: z.literal('top-items'),
  accountId: AccountIdSchema,
  itemType: TopItemTypeSchema,
  timeRange: TopTimeRangeSchema,
})
export type TopItemsUnit = z.infer<typeof TopItemsUnitSchema>
