/**
 * @module The followed_artists source's extraction: one account's followed artists, from Spotify (cursor
 * paging by artist id, 50 a page); no queues, no S3 (those are the caller's).
 */
import type { FollowedArtistsUnit } from '@spotify-lake/schemas'
import type { ExtractContext, UnitOutcome } from '../types.ts'

/**
 * Reads the list from `unit.after` (the start when absent), at most `ctx.callBudget` calls: a longer list
 * continues in the next part from the last artist id read (`next`), as a playlist does.
 */
export async function extractFollowedArtists(
  unit: FollowedArtistsUnit,
  { client, responses, callBudget }: ExtractContext,
): Promise<UnitOutcome> {
  let items = 0
  let calls = 0
  let last: string | undefined
  let more = false
  for await (const page of client.followedArtists(unit.after === undefined ? {} : { after: unit.after })) {
    responses.push(page.raw)
    calls++
    items += page.data.artists.items.length
    last = page.data.artists.items.at(-1)?.id ?? last
    more = page.data.artists.next !== null && page.data.artists.items.length > 0
    if (calls >= callBudget) break
  }
  return {
    kind: 'extracted',
    unit,
    items,
    ...(more && last !== undefined
      ? { next: { type: 'followed-artists', accountId: unit.accountId, after: last, part: unit.part + 1 } }
      : {}),
  }
}
