/**
 * @module E2e of the plays across a restart of the local stack mid-day: Spotify (the fake, with its
 * listening simulator) goes on while the Workers, queues and S3 stop and start again on the same state.
 * Plays polled before and after the restart land exactly once, and the first poll after it starts from
 * the cursor kept in the lake (no first-poll refetch of the last 50, no gap).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { type FakePlay, playHistory } from '@spotify-lake/spotify-client/fake'
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../src/local/pipeline.ts'
import { triggerRun, waitForRun } from '../../src/local/run-local.ts'
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { logTail } from './support/stack.ts'

const HOUR = 3_600_000

describe('plays across a stack restart mid-day', () => {
  let dir: string
  let spotify: RunningFakeSpotify
  let stack: LocalStack | undefined
  const dbs: LakeDb[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-e2e-restart-'))
    spotify = await startFakeSpotify({ seed: 16, playlists: 1, itemsPerPlaylist: 5, mode: 'development' })
  })
  afterAll(async () => {
    for (const db of dbs) db.close()
    await stack?.stop()
    await spotify?.close()
    if (process.env.LAKE_E2E_KEEP) console.error(`e2e state kept in ${dir}`)
    else await rm(dir, { recursive: true, force: true })
  })

  /** The stack on the one state folder, with the fake that outlives it. */
  const start = () =>
    startLocalStack({ root: REPO_ROOT, port: 0, stateDir: join(dir, 'state'), fakeSpotify: spotify })

  const storeOf = (s: LocalStack): LakeStore => {
    const { endpoint, bucket, accessKeyId, secretAccessKey } = s.s3
    return createLakeStore({ endpoint, bucket, accessKeyId, secretAccessKey })
  }

  /** One plays poll (`lake run --local --sources recently_played`), to its end; the Spotify calls it made. */
  async function poll(s: LocalStack) {
    const from = spotify.fake.requests.length
    const runId = await triggerRun({
      workerUrl: s.workerUrl,
      apiToken: s.apiToken,
      sources: ['recently_played'],
    })
    const manifest = await waitForRun({
      workerUrl: s.workerUrl,
      apiToken: s.apiToken,
      runId,
      timeoutMs: 120_000,
      intervalMs: 500,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nlast lines of ${s.logFile}:\n${logTail(s.logFile)}`)
    })
    expect(manifest.status).toBe('succeeded')
    expect(manifest.possibleGaps).toEqual([])
    const calls = spotify.fake.requests.slice(from).filter((r) => r.path === '/v1/me/player/recently-played')
    return { manifest, calls }
  }

  const keyOf = (p: FakePlay) => `${p.playedAt}:${p.trackId}`
  const expected = new Map<string, FakePlay>()
  const heard = () => {
    for (const p of playHistory(spotify.fake.catalog.library, spotify.fake.now())) expected.set(keyOf(p), p)
  }

  it('lands every play once, before and after the restart, and the first poll after it starts from the kept cursor', async () => {
    const account = spotify.fake.catalog.user.accountId
    // A day of listening: a play every 4 minutes (15 an hour), polled hourly.
    const session = spotify.fake.listen({ plays: 15 * 6, everyMs: 4 * 60_000 })
    stack = await start()
    heard()
    await poll(stack)
    for (let hour = 0; hour < 3; hour++) {
      spotify.fake.advanceClock(HOUR)
      heard()
      await poll(stack)
    }
    const cursor = Math.max(...[...expected.values()].map((p) => p.playedAt))
    const state = await storeOf(stack).getJson<{ after: number }>(`state/recently-played-${account}.json`)
    expect(state?.after).toBe(cursor)

    // Mid-day the stack stops; Spotify does not: an hour of plays happens while it is down.
    await stack.stop()
    stack = undefined
    spotify.fake.advanceClock(HOUR)
    heard()
    stack = await start()
    const missed = [...expected.values()].filter((p) => p.playedAt > cursor).length
    expect(missed).toBeGreaterThan(10)

    // The first poll after the restart asks only for plays after the cursor the lake kept.
    const first = await poll(stack)
    // (An access token the broker still holds may have expired by the fake's clock: a 401, a refresh and
    // the same call again. Every call asks from the cursor, and one answer is the poll.)
    expect(first.calls.every((c) => c.query.after === String(cursor) && c.query.limit === '50')).toBe(true)
    expect(first.calls.filter((c) => c.status === 200)).toHaveLength(1)
    expect(first.manifest.units[`recently-played:${account}`]?.itemsSeen).toBe(missed)
    for (let hour = 0; hour < 2; hour++) {
      spotify.fake.advanceClock(HOUR)
      heard()
      await poll(stack)
    }
    for (const p of session) expect(expected.has(keyOf(p))).toBe(true)

    const db = await openLake({ store: storeOf(stack), dir })
    dbs.push(db)
    const rows = await queryObjects(
      db,
      `SELECT epoch_ms(played_at) AS ms, track_id, count(*) AS n FROM plays GROUP BY ALL ORDER BY ms`,
    )
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([])
    expect(rows.map((r) => `${r.ms}:${r.track_id}`).sort()).toEqual([...expected.keys()].sort())
  })
})
