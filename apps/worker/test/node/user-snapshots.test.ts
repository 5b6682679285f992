/** @module The top_items and followed_artists sources' pure parts: planning per account (none on the plays poll), continuation of a long followed list. */
import { describe, expect, it } from 'vitest'
import { dailySources, recentlyPlayedSources, SourcesSchema } from '../../src/config.ts'
import { planSources } from '../../src/run/plan-sources.ts'
import { extractFollowedArtists } from '../../src/sources/followed-artists/extract.ts'

const accounts = [
  { accountId: 'a1', userId: 'u1' },
  { accountId: 'a2', userId: 'u2' },
] as never

describe('top_items and followed_artists planning', () => {
  const sources = SourcesSchema.parse({ recentlyPlayed: true, topItems: true, followedArtists: true })

  it('plans six top lists (tracks and artists, three time ranges) and one followed-artists unit per account on the daily run', () => {
    const units = planSources(dailySources(sources), accounts)
    const top = units.filter((u) => u.type === 'top-items')
    expect(top).toHaveLength(12)
    expect(new Set(top.map((u) => JSON.stringify(u)))).toEqual(
      new Set(
        ['a1', 'a2'].flatMap((accountId) =>
          ['tracks', 'artists'].flatMap((itemType) =>
            ['short_term', 'medium_term', 'long_term'].map((timeRange) =>
              JSON.stringify({ type: 'top-items', accountId, itemType, timeRange }),
            ),
          ),
        ),
      ),
    )
    expect(units.filter((u) => u.type === 'followed-artists')).toEqual([
      { type: 'followed-artists', accountId: 'a1', part: 0 },
      { type: 'followed-artists', accountId: 'a2', part: 0 },
    ])
    expect(units.some((u) => u.type === 'recently-played')).toBe(false)
  })

  it('leaves them to the daily run: the plays poll plans none', () => {
    expect(planSources(recentlyPlayedSources(sources), accounts).map((u) => u.type)).toEqual([
      'recently-played',
      'recently-played',
    ])
  })

  it('defaults them off (SOURCES must say so) and plans nothing without an account', () => {
    const parsed = SourcesSchema.parse({ myPlaylists: true })
    expect([parsed.topItems, parsed.followedArtists]).toEqual([false, false])
    expect(planSources(sources, [])).toEqual([])
  })
})

describe('extractFollowedArtists', () => {
  /** A client whose followed artists are `ids` in pages of 2, from an `after` cursor, as Spotify pages them. */
  function clientOf(ids: string[]) {
    const calls: (string | undefined)[] = []
    const client = {
      async *followedArtists({ after }: { after?: string } = {}) {
        let start = after === undefined ? 0 : ids.indexOf(after) + 1
        calls.push(after)
        for (;;) {
          const items = ids.slice(start, start + 2).map((id) => ({ id }))
          start += items.length
          const next =
            start < ids.length ? `https://api.spotify.com/v1/me/following?after=${items.at(-1)?.id}` : null
          yield { data: { artists: { items, next } }, raw: { endpoint: '/me/following' } }
          if (!next) return
        }
      },
    }
    return { client, calls }
  }

  it('continues past the call budget in the next part, from the last artist id read', async () => {
    const { client, calls } = clientOf(['a1', 'a2', 'a3', 'a4', 'a5'])
    const ctx = { client, callBudget: 2, responses: [] as unknown[] } as never
    const first = await extractFollowedArtists({ type: 'followed-artists', accountId: 'acc', part: 0 }, ctx)
    expect(first).toMatchObject({
      kind: 'extracted',
      items: 4,
      next: { type: 'followed-artists', accountId: 'acc', after: 'a4', part: 1 },
    })
    const rest = await extractFollowedArtists(
      { type: 'followed-artists', accountId: 'acc', after: 'a4', part: 1 },
      ctx,
    )
    expect(rest).toMatchObject({ kind: 'extracted', items: 1 })
    expect(rest).not.toHaveProperty('next')
    expect(calls).toEqual([undefined, 'a4'])
  })

  it('ends on the last page within the budget, also an empty list', async () => {
    const ctx = (ids: string[]) => ({ client: clientOf(ids).client, callBudget: 20, responses: [] }) as never
    const all = await extractFollowedArtists(
      { type: 'followed-artists', accountId: 'acc', part: 0 },
      ctx(['a1', 'a2', 'a3']),
    )
    expect(all).toMatchObject({ items: 3 })
    expect(all).not.toHaveProperty('next')
    const none = await extractFollowedArtists(
      { type: 'followed-artists', accountId: 'acc', part: 0 },
      ctx([]),
    )
    expect(none).toMatchObject({ items: 0 })
    expect(none).not.toHaveProperty('next')
  })
})
