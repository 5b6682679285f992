/** @module The recently_played source's pure parts: the possible-gap rule and which Cron Trigger plans what. */
import { describe, expect, it } from 'vitest'
import { dailySources, recentlyPlayedSources, SourcesSchema } from '../../src/config.ts'
import { planSources } from '../../src/run/plan-sources.ts'
import { possibleGap } from '../../src/sources/recently-played/extract.ts'

const T = Date.UTC(2026, 10, 21, 12)
const minutes = (n: number, from = T) => Array.from({ length: n }, (_, i) => from + (n - i) * 60_000)

describe('possibleGap', () => {
  it('is the span from the cursor to the oldest play of a full page all newer than it', () => {
    const playedAt = minutes(50)
    expect(possibleGap({ after: T, playedAt })).toEqual({
      from: new Date(T).toISOString(),
      to: new Date(T + 60_000).toISOString(),
    })
  })

  it('is none for fewer than 50 plays, a page reaching back to the cursor, or a first poll', () => {
    expect(possibleGap({ after: T, playedAt: minutes(49) })).toBeNull()
    expect(possibleGap({ after: T, playedAt: [...minutes(49), T] })).toBeNull()
    expect(possibleGap({ after: null, playedAt: minutes(50) })).toBeNull()
    expect(possibleGap({ after: T, playedAt: [] })).toBeNull()
  })
})

describe('the Cron Triggers split the sources', () => {
  const sources = SourcesSchema.parse({ playlists: ['abc'], myPlaylists: true, recentlyPlayed: true })
  const accounts = [
    { accountId: 'a1', userId: 'u1' },
    { accountId: 'a2', userId: 'u2' },
  ] as never

  it('plans no plays on the daily run, and only plays (one unit per account) on the recently-played one', () => {
    expect(planSources(dailySources(sources), accounts).map((u) => u.type)).toEqual([
      'my-playlists',
      'my-playlists',
      'playlist',
    ])
    expect(planSources(recentlyPlayedSources(sources), accounts)).toEqual([
      { type: 'recently-played', accountId: 'a1' },
      { type: 'recently-played', accountId: 'a2' },
    ])
    expect(planSources(recentlyPlayedSources({ ...sources, recentlyPlayed: false }), accounts)).toEqual([])
  })

  it('defaults the plays off (SOURCES must say so)', () => {
    expect(SourcesSchema.parse({ myPlaylists: true }).recentlyPlayed).toBe(false)
  })
})
