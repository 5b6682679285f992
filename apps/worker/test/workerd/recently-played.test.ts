/**
 * @module The recently_played source in workerd against the fake Spotify and the local S3: one call per
 * poll with the account's `after` cursor, the cursor in the lake's state, and a possible gap in the
 * manifest when a poll finds 50 new plays.
 */
import { RawEnvelopeSchema, type RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import type { PlaysCursorState } from '../../src/sources/recently-played/state.ts'
import {
  drainExtract,
  fakeAdmin,
  lake,
  manifestOf,
  releaseGlobal,
  seedAccounts,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope } from './support/s3-readback.ts'

const spotify = inject('spotify')
const { accountId } = spotify.development.user
const unitKey = `recently-played:${accountId}`
const stateKey = `state/recently-played-${accountId}.json`
const started: RunId[] = []

beforeEach(async () => {
  await seedAccounts(testEnv())
  await fakeAdmin('development').reset()
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

/** One poll, as the recently-played Cron Trigger starts it: the run, its unit's manifest entry and Spotify calls. */
async function poll(t: TestEnv) {
  const admin = fakeAdmin('development')
  const before = (await admin.requests()).length
  const result = await startRun({
    env: t.env,
    sources: { playlists: [], myPlaylists: false, recentlyPlayed: true },
    trigger: 'cron',
  })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  for (const batch of await drainExtract(t)) expect(batch.retryMessages).toEqual([])
  const manifest = await manifestOf(result.runId)
  await releaseGlobal([result.runId])
  const calls = (await admin.requests()).slice(before)
  return { runId: result.runId, manifest, unit: manifest?.units[unitKey], calls }
}

const cursor = async () => (await lake().getJson<PlaysCursorState>(stateKey))?.after ?? null

describe('recently played', () => {
  it('polls with the stored cursor: one call each time, also when nothing is new', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const admin = fakeAdmin('development')

    // First poll: no cursor yet, the whole history Spotify keeps (its last 50 plays).
    const first = await poll(t)
    expect(first.calls.map((c) => [c.path, c.query])).toEqual([
      ['/v1/me/player/recently-played', { limit: '50' }],
    ])
    expect(first.unit).toMatchObject({ status: 'extracted', itemsSeen: 50 })
    const history = await admin.plays()
    expect(await cursor()).toBe(Date.parse(history[0]!.played_at))
    const [rawKey] = first.unit!.rawKeys
    expect(rawKey).toMatch(
      new RegExp(
        `^raw/recently_played/dt=\\d{4}-\\d{2}-\\d{2}/${first.runId}/recently-played-${accountId}\\.json\\.gz$`,
      ),
    )
    const envelope = RawEnvelopeSchema.parse(await getEnvelope(rawKey!))
    expect(envelope.unit).toEqual({ type: 'recently-played', accountId })
    expect(envelope.responses.map((r) => r.endpoint)).toEqual(['/me/player/recently-played'])
    expect(first.manifest?.possibleGaps).toEqual([])

    // Nothing new: one call with `after`, nothing extracted, the cursor stays.
    const mark = await cursor()
    const idle = await poll(t)
    expect(idle.calls.map((c) => c.query)).toEqual([{ limit: '50', after: String(mark) }])
    expect(idle.unit).toMatchObject({ status: 'extracted', itemsSeen: 0 })
    expect(await cursor()).toBe(mark)

    // Five plays later: only those, and the cursor moves to the newest.
    const { plays } = await admin.listen({ plays: 5, everyMs: 200_000 })
    await admin.advanceClock(5 * 200_000)
    const five = await poll(t)
    expect(five.calls.map((c) => c.query)).toEqual([{ limit: '50', after: String(mark) }])
    expect(five.unit?.itemsSeen).toBe(5)
    const body = JSON.parse(
      RawEnvelopeSchema.parse(await getEnvelope(five.unit!.rawKeys[0]!)).responses[0]!.body,
    ) as { items: { played_at: string }[] }
    expect(body.items.map((i) => i.played_at).sort()).toEqual(plays.map((p) => p.played_at).sort())
    expect(await cursor()).toBe(Math.max(...plays.map((p) => Date.parse(p.played_at))))
    expect(five.manifest?.possibleGaps).toEqual([])
  })

  it('reports a possible gap, with its span, when a poll finds 50 plays all newer than the cursor', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const admin = fakeAdmin('development')
    await poll(t)
    const mark = (await cursor())!

    // 60 plays between two polls: Spotify keeps the last 50, so the first 10 are gone.
    const { plays } = await admin.listen({ plays: 60, everyMs: 30_000 })
    await admin.advanceClock(60 * 30_000)
    const burst = await poll(t)
    expect(burst.unit?.itemsSeen).toBe(50)
    const oldestSeen = plays[10]!.played_at
    expect(burst.manifest?.possibleGaps).toEqual([
      {
        kind: 'possible_gap',
        unit: unitKey,
        account: accountId,
        from: new Date(mark).toISOString(),
        to: oldestSeen,
      },
    ])
    expect(burst.manifest?.warnings.some((w) => w.startsWith('possible_gap:'))).toBe(true)
    // The lost plays are exactly those inside the span.
    const lost = plays.slice(0, 10).map((p) => Date.parse(p.played_at))
    expect(lost.every((ms) => ms > mark && ms < Date.parse(oldestSeen))).toBe(true)
    expect(await cursor()).toBe(Date.parse(plays[59]!.played_at))

    // Exactly 49 new plays next time: no gap.
    await admin.listen({ plays: 49, everyMs: 20_000 })
    await admin.advanceClock(49 * 20_000)
    const calm = await poll(t)
    expect(calm.unit?.itemsSeen).toBe(49)
    expect(calm.manifest?.possibleGaps).toEqual([])
  })
})
