/**
 * @module Progress under faults: a playlist part that secured pages before a transient failure or a
 * long 429 keeps them, and its next part resumes from the first page it did not get, so no page is
 * fetched twice. Through the real consumer against the fake Spotify.
 */
import { env } from 'cloudflare:workers'
import { globalStub } from '@spotify-lake/run-coordinator'
import type { ExtractMessage, RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import {
  deliver,
  fakeAdmin,
  manifestOf,
  readRaw,
  releaseGlobal,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'

const [longList] = inject('spotify').development.playlists.owned as [string]
const started: RunId[] = []

beforeEach(async () => {
  await fakeAdmin().reset()
  await wipe('state/')
})
afterEach(async () => {
  await fakeAdmin().faults({})
  await releaseGlobal(started.splice(0))
})

async function begin(t: TestEnv): Promise<{ runId: RunId; messages: ExtractMessage[] }> {
  const result = await startRun({
    env: t.env,
    sources: { playlists: [longList], myPlaylists: false },
    trigger: 'http',
  })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  return { runId: result.runId, messages: t.extract.take().map((m) => m.body) }
}

/** The next playlist part among the messages sent (catalog batches go out beside it). */
const nextPart = (t: TestEnv) => t.extract.take().find((m) => m.body.unit.type === 'playlist')

const itemRequests = async () =>
  (await fakeAdmin().requests()).filter(
    (r) => r.path === `/v1/playlists/${longList}/items` && r.status === 200,
  )

describe('a playlist part interrupted after it secured pages', () => {
  it('keeps them (raw written, unit settled) and resumes from the next page after a short pause', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t)
    // The playlist (with its first page) answers; every further page fails with 503, retries included.
    await fakeAdmin().faults({ serverErrors: { rate: 1, statuses: [503], path: '/v1/playlists/*/items' } })
    const first = await deliver(t, messages)
    expect(first.result.retryMessages).toEqual([])
    expect(first.result.explicitAcks).toEqual(first.ids)

    const manifest = await manifestOf(runId)
    const part0 = manifest?.units[`playlist:${longList}:0`]
    expect(part0?.status).toBe('extracted')
    expect(part0?.itemsSeen).toBeGreaterThan(0)
    const raw = await readRaw(part0?.rawKeys[0] as string)
    expect(raw.responses.map((r) => r.endpoint)).toEqual(['/playlists/{id}'])
    expect(manifest?.errors.at(-1)).toMatchObject({
      unit: `playlist:${longList}:0`,
      reason: 'spotify_unavailable',
    })
    // The rest goes on in part 1 from the first item not fetched, after one backoff step.
    const next = nextPart(t)
    expect(next?.delaySeconds).toBe(10)
    expect(next?.body.unit).toMatchObject({
      type: 'playlist',
      playlistId: longList,
      part: 1,
      offset: part0?.itemsSeen,
    })

    // Spotify is back: part 1 fetches only pages it has not got, never the playlist or page 0 again.
    await fakeAdmin().faults({})
    const playlistCallsBefore = (await fakeAdmin().requests()).filter(
      (r) => r.path === `/v1/playlists/${longList}`,
    ).length
    const second = await deliver(t, [next?.body])
    expect(second.result.explicitAcks).toEqual(second.ids)
    const offsets = (await itemRequests()).map((r) => Number(r.query.offset))
    expect(Math.min(...offsets)).toBe(part0?.itemsSeen)
    expect(new Set(offsets).size).toBe(offsets.length)
    expect((await fakeAdmin().requests()).filter((r) => r.path === `/v1/playlists/${longList}`).length).toBe(
      playlistCallsBefore,
    )
  })

  it('keeps them on a long 429 too, and the rest waits out the block (run deferred)', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t)
    // One call per window: the playlist answers, the next page gets a 429 asking for two hours.
    await fakeAdmin().faults({ rateLimit: { requests: 1, windowSeconds: 600, retryAfterSeconds: 7200 } })
    const { result, ids } = await deliver(t, messages)
    expect(result.explicitAcks).toEqual(ids)
    const manifest = await manifestOf(runId)
    expect(manifest?.units[`playlist:${longList}:0`]?.status).toBe('extracted')
    expect(manifest?.units[`playlist:${longList}:1`]?.status).toBe('deferred')
    expect(manifest?.status).toBe('deferred')
    const next = nextPart(t)
    expect(next?.delaySeconds).toBeGreaterThan(7100)
    expect(next?.body.unit).toMatchObject({ part: 1 })
    expect(await globalStub(env.RUN_COORDINATOR).blockedUntil()).toBe(manifest?.blockedUntil)
  })
})
