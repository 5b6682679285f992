/**
 * @module The recently_played source's extraction: one account's plays newer than its cursor, from
 * Spotify; no queues, no S3 (those are the caller's). With a cursor this is one call (`after` does not
 * page), also when nothing is new.
 */
import { RECENTLY_PLAYED_LIMIT, type RecentlyPlayedUnit } from '@spotify-lake/schemas'
import type { ExtractContext, PossibleGap, UnitOutcome } from '../types.ts'

/**
 * Spotify holds only the last 50 plays. A poll with a cursor that returns a full page, every play newer
 * than the cursor, may have missed plays between the cursor and the oldest play it got: a possible gap
 * with that span. (Fewer than 50, or a first poll with no cursor, cannot tell a gap.)
 */
export function possibleGap({
  after,
  playedAt,
}: {
  after: number | null
  playedAt: readonly number[]
}): PossibleGap | null {
  if (after === null || playedAt.length < RECENTLY_PLAYED_LIMIT) return null
  const oldest = Math.min(...playedAt)
  if (oldest <= after) return null
  return { from: new Date(after).toISOString(), to: new Date(oldest).toISOString() }
}

export async function extractRecentlyPlayed(
  unit: RecentlyPlayedUnit,
  { client, responses, playsCursor }: ExtractContext,
): Promise<UnitOutcome> {
  const after = await playsCursor(unit.accountId)
  const playedAt: number[] = []
  let items = 0
  for await (const page of client.recentlyPlayed(after === null ? {} : { after })) {
    responses.push(page.raw)
    items += page.data.items.length
    // A play whose time does not parse is kept in raw (the transformer rejects it) but moves no cursor.
    for (const play of page.data.items) {
      const ms = Date.parse(play.played_at)
      if (Number.isFinite(ms)) playedAt.push(ms)
    }
  }
  const newest = playedAt.length > 0 ? Math.max(...playedAt) : null
  const gap = possibleGap({ after, playedAt })
  return {
    kind: 'extracted',
    unit,
    items,
    ...(newest !== null && (after === null || newest > after)
      ? { playsCursor: { accountId: unit.accountId, after: newest } }
      : {}),
    ...(gap ? { possibleGap: { accountId: unit.accountId, ...gap } } : {}),
  }
}
