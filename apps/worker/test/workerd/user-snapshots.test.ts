/**
 * @module The top_items and followed_artists sources in workerd against the fake Spotify and the local S3:
 * a daily run's six top lists and the followed artists of each account, their raw objects, and the
 * catalog batches the top tracks refer to.
 */

import { RawEnvelopeSchema, type RunId } from '@spotify-lake/schemas'
import { TOP_LIST_LENGTH } from '@spotify-lake/spotify-client/fake'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import {
  drainExtract,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  seedAccounts,
  type TestEnv,
  testEnv,
} from './support/helpers.ts'
import { getEnvelope } from './support/s3-readback.ts'

const spotify = inject('spotify')
const { accountId } = spotify.development.user
const started: RunId[] = []

beforeEach(async () => {
  await seedAccounts(testEnv())
  await fakeAdmin('development').reset()
})
afterEach(() => releaseGlobal(started.splice(0)))

/** A daily run of the two sources alone, to its last extract message: the manifest and Spotify calls. */
async function snapshot(t: TestEnv) {
  const admin = fakeAdmin('development')
  const before = (await admin.requests()).length
  const result = await startRun({
    env: t.env,
    sources: { playlists: [], myPlaylists: false, topItems: true, followedArtists: true },
    trigger: 'cron',
  })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  for (const batch of await drainExtract(t)) expect(batch.retryMessages).toEqual([])
  const manifest = (await manifestOf(result.runId))!
  await releaseGlobal([result.runId])
  return { runId: result.runId, manifest, calls: (await admin.requests()).slice(before) }
}

describe('top items and followed artists', () => {
  it('extracts six top lists and the followed artists per account; top tracks refer their albums and artists to catalog batches', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { manifest, calls } = await snapshot(t)
    const ranges = ['short_term', 'medium_term', 'long_term']
    const topKeys = ['tracks', 'artists'].flatMap((type) =>
      ranges.map((range) => `top-items:${accountId}:${type}:${range}`),
    )
    for (const key of [...topKeys, `followed-artists:${accountId}:0`])
      expect(manifest.units[key], key).toMatchObject({ status: 'extracted' })
    // Each list: offset paging, 50 a page, with its time range, as many calls as its items need.
    const top = calls.filter((c) => c.path.startsWith('/v1/me/top/'))
    const want = ['tracks', 'artists'].flatMap((type) =>
      ranges.flatMap((range) => {
        const seen = manifest.units[`top-items:${accountId}:${type}:${range}`]!.itemsSeen
        expect(seen).toBeGreaterThan(0)
        expect(seen).toBeLessThanOrEqual(TOP_LIST_LENGTH)
        return Array.from(
          { length: Math.ceil(seen / 50) },
          (_, page) => `/v1/me/top/${type} ${range} ${page * 50} 50`,
        )
      }),
    )
    expect(
      top.map((c) => `${c.path} ${c.query.time_range} ${c.query.offset} ${c.query.limit}`).sort(),
    ).toEqual(want.sort())
    // The fake's 120 tracks: a list of 100, two pages.
    expect(manifest.units[topKeys[0]!]?.itemsSeen).toBe(TOP_LIST_LENGTH)
    expect(calls.filter((c) => c.path === '/v1/me/following').map((c) => c.query)).toEqual([
      { type: 'artist', limit: '50' },
    ])
    // The albums and artists of the top tracks are fetched once each (development mode: one GET each).
    expect(Object.keys(manifest.units).some((k) => k.startsWith('albums:'))).toBe(true)
    expect(Object.keys(manifest.units).some((k) => k.startsWith('artists:'))).toBe(true)
    expect(calls.some((c) => c.path.startsWith('/v1/albums/'))).toBe(true)

    // The raw object of a list holds its pages, as Spotify sent them, ranked as the fake ranks them today.
    const key = `top-items:${accountId}:artists:short_term`
    const env = RawEnvelopeSchema.parse(await getEnvelope(manifest.units[key]!.rawKeys[0]!))
    expect(env.unit).toEqual({ type: 'top-items', accountId, itemType: 'artists', timeRange: 'short_term' })
    expect(env.responses.map((r) => [r.endpoint, r.params.time_range])).toEqual([
      ['/me/top/artists', 'short_term'],
    ])
    const served = JSON.parse(env.responses[0]!.body) as { items: { id: string; type: string }[] }
    expect(served.items).toHaveLength(manifest.units[key]!.itemsSeen)
    expect(served.items.every((a) => a.type === 'artist')).toBe(true)
    const following = manifest.units[`followed-artists:${accountId}:0`]!
    expect(following.rawKeys[0]).toMatch(
      new RegExp(
        `^raw/followed_artists/dt=\\d{4}-\\d{2}-\\d{2}/.+/followed-artists-${accountId}-p0000\\.json\\.gz$`,
      ),
    )
  })
})
