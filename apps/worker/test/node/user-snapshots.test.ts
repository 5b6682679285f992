/** @module The top_items and followed_artists sources' planning: the daily run's units per account, none on the plays poll. */
import { describe, expect, it } from 'vitest'
import { dailySources, recentlyPlayedSources, SourcesSchema } from '../../src/config.ts'
import { planSources } from '../../src/run/plan-sources.ts'

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
