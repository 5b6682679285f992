/** @module Short and long 429, 5xx, the dead-letter queue, invalid messages. */
import { env } from 'cloudflare:workers'
import { globalStub } from '@spotify-lake/run-coordinator'
import type { ExtractMessage, RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import {
  actAsTransformer,
  deliver,
  drainExtract,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope, listKeys } from './support/s3-readback.ts'

const { owned } = inject('spotify').development.playlists
const [longList, shortList] = owned as [string, string]
const started: RunId[] = []

beforeEach(async () => {
  await fakeAdmin().reset()
  await wipe('state/')
})
afterEach(async () => {
  await fakeAdmin().faults({})
  await releaseGlobal(started.splice(0))
})

/** Starts a run and hands back its first EXTRACT messages undelivered. */
async function begin(t: TestEnv, playlists: string[]): Promise<{ runId: RunId; messages: ExtractMessage[] }> {
  const result = await startRun({ env: t.env, sources: { playlists, myPlaylists: false }, trigger: 'http' })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  return { runId: result.runId, messages: t.extract.take().map((m) => m.body) }
}

const secondsUntil = (iso: string) => (Date.parse(iso) - Date.now()) / 1000

describe('rate limits', () => {
  it('waits out a short 429 inside the message and finishes the unit', async () => {
    // Two calls per second: part 0 of the long playlist makes three, so the third gets 429 + Retry-After: 1.
    await fakeAdmin().faults({ rateLimit: { requests: 2, windowSeconds: 1, retryAfterSeconds: 1 } })
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t, [longList])
    const { result, ids } = await deliver(t, messages)
    expect(result.explicitAcks).toEqual(ids)
    expect(result.retryMessages).toEqual([])
    const manifest = await manifestOf(runId)
    expect(manifest?.units[`playlist:${longList}:0`]?.status).toBe('extracted')
    expect(manifest?.api.rateLimited).toBeGreaterThanOrEqual(1)
    expect(manifest?.api.retries).toBeGreaterThanOrEqual(1)
    const statuses = (await fakeAdmin().requests()).map((r) => r.status)
    expect(statuses).toContain(429)
  })

  it('defers on a long 429: persists "blocked until", retries with that delay, and calls Spotify no more', async () => {
    await fakeAdmin().faults({ rateLimit: { requests: 0, retryAfterSeconds: 7200 } })
    const t = testEnv()
    const { runId, messages } = await begin(t, [longList, shortList])
    const [first, second] = messages as [ExtractMessage, ExtractMessage]

    const one = await deliver(t, [first])
    expect(one.result.explicitAcks).toEqual([])
    const delay = one.result.retryMessages[0]?.delaySeconds ?? 0
    expect(one.result.retryMessages).toEqual([{ msgId: one.ids[0], delaySeconds: delay }])
    expect(delay).toBeGreaterThan(7100)
    expect(delay).toBeLessThanOrEqual(7200)

    const blocked = await globalStub(env.RUN_COORDINATOR).blockedUntil()
    expect(secondsUntil(blocked as string)).toBeGreaterThan(7100)
    const manifest = await manifestOf(runId)
    expect(manifest).toMatchObject({ status: 'deferred', blockedUntil: blocked })
    expect(manifest?.units[`playlist:${longList}:0`]).toMatchObject({ status: 'deferred', retryAt: blocked })

    // Another message (another invocation) defers without a single call to Spotify.
    const callsBefore = (await fakeAdmin().requests()).length
    const two = await deliver(t, [second])
    expect(two.result.retryMessages[0]?.delaySeconds).toBeGreaterThan(7100)
    expect((await fakeAdmin().requests()).length).toBe(callsBefore)
    expect((await manifestOf(runId))?.units[`playlist:${shortList}:0`]?.status).toBe('deferred')
    expect(t.transform.sent).toEqual([])
  })

  it('caps the retry delay at the queue maximum of 12 hours', async () => {
    await fakeAdmin().faults({ rateLimit: { requests: 0, retryAfterSeconds: 86_400 } })
    const t = testEnv()
    const { runId, messages } = await begin(t, [shortList])
    const { result } = await deliver(t, messages)
    expect(result.retryMessages[0]?.delaySeconds).toBe(43_200)
    // The manifest keeps the real instant, a day away.
    expect(secondsUntil((await manifestOf(runId))?.blockedUntil as string)).toBeGreaterThan(86_000)
  })
})

describe('server errors and the dead-letter queue', () => {
  it('retries a persistent 5xx with backoff, then records the dead letter and finalizes the run', async () => {
    await fakeAdmin().faults({ serverErrors: { rate: 1, statuses: [503] } })
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t, [shortList])

    const first = await deliver(t, messages)
    expect(first.result.explicitAcks).toEqual([])
    expect(first.result.retryMessages).toEqual([{ msgId: first.ids[0], delaySeconds: 10 }])
    const unit = (await manifestOf(runId))?.units[`playlist:${shortList}:0`]
    expect(unit).toMatchObject({ status: 'pending', attempts: 1 })
    expect(unit?.error).toMatch(/503/)
    expect(unit?.reason).toBe('spotify_unavailable')
    // Nothing was written for a failed attempt, so nothing is handed to the transformer.
    expect(t.transform.sent).toEqual([])

    const later = await deliver(t, messages, { attempts: 4 })
    expect(later.result.retryMessages[0]?.delaySeconds).toBe(80)

    // Retries exhausted: the queue moves the message to the DLQ, whose consumer records it.
    const dead = await deliver(t, messages, { queue: 'spotify-lake-extract-dlq' })
    expect(dead.result.explicitAcks).toEqual(dead.ids)
    const manifest = await manifestOf(runId)
    expect(manifest?.units[`playlist:${shortList}:0`]?.status).toBe('dead_lettered')
    expect(manifest?.units[`playlist:${shortList}:0`]?.error).toMatch(/dead-letter.*503/)
    expect(manifest?.errors.map((e) => e.message).join('\n')).toMatch(/dead-lettered/)
    // It was the run's only unit: the run is complete and finalize goes to the transformer.
    expect(t.transform.take().map((m) => m.body)).toEqual([
      { v: 1, kind: 'finalize', runId, dt: manifest?.dt },
    ])
  })

  it('recovers when 5xx are intermittent (the client retries inside the message)', async () => {
    await fakeAdmin().faults({ serverErrors: { rate: 0.2, statuses: [500, 502, 503] } })
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId } = await begin(t, [longList])
    t.extract.sent.push(...(await startedMessages(runId)))
    const batches = await drainExtract(t)
    for (const b of batches) expect(b.retryMessages).toEqual([])
    const manifest = await manifestOf(runId)
    expect(manifest?.units[`playlist:${longList}:1`]?.status).toBe('extracted')
    expect(manifest?.api.retries).toBeGreaterThan(0)
    expect(await actAsTransformer(t)).toHaveLength(1)
  })

  it('keeps extracting when entries are off the schema: the unit finishes, raw keeps them as sent', async () => {
    await fakeAdmin().faults({ offSchemaItems: { rate: 0.2, path: '/v1/playlists/*' } })
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId } = await begin(t, [longList])
    t.extract.sent.push(...(await startedMessages(runId)))
    const batches = await drainExtract(t)
    for (const b of batches) expect(b.retryMessages).toEqual([])
    const manifest = await manifestOf(runId)
    const parts = Object.entries(manifest?.units ?? {}).filter(([k]) => k.startsWith(`playlist:${longList}:`))
    expect(parts.length).toBeGreaterThan(1)
    for (const [, unit] of parts) expect(unit.status).toBe('extracted')
    // Every position was read, the off-schema ones included (the transformer rejects those with a reason).
    const size = (await fakeAdmin().totals())[longList]
    expect(parts.reduce((n, [, u]) => n + u.itemsSeen, 0)).toBe(size)
    const raws = await Promise.all(parts.flatMap(([, u]) => u.rawKeys).map((key) => getEnvelope(key)))
    const bodies = raws.flatMap((e) => e.responses.map((r) => r.body)).join('\n')
    expect(bodies).toContain('"type":"audiobook"')
    expect(globalThis.capturedLogs.some((l) => l.includes('extract.unreadable-items'))).toBe(true)
  })

  it('retries a message whose responses stay unparsable (broken JSON), keeping nothing half-read', async () => {
    await fakeAdmin().faults({ malformedJson: { rate: 1, path: '/v1/playlists/*' } })
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t, [shortList])
    const { result, ids } = await deliver(t, messages)
    expect(result.retryMessages).toEqual([{ msgId: ids[0], delaySeconds: 10 }])
    expect((await manifestOf(runId))?.units[`playlist:${shortList}:0`]).toMatchObject({
      status: 'pending',
      attempts: 1,
    })
    expect(t.transform.sent).toEqual([])
  })

  it('never acks before the raw object is in S3: a failed write retries the message', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await begin(t, [shortList])
    // The Worker's S3 is unreachable (the coordinator keeps its own, working, S3 binding).
    const down = testEnv({ SPOTIFY_API_MODE: 'development', S3_ENDPOINT: 'http://127.0.0.1:9' })
    const forced = messages.map((m) => ({ ...m, force: true }))
    const { result, ids } = await deliver(down, forced)
    expect(result.explicitAcks).toEqual([])
    expect(result.retryMessages).toEqual([{ msgId: ids[0], delaySeconds: 10 }])
    expect(down.transform.sent).toEqual([])
    expect((await manifestOf(runId))?.units[`playlist:${shortList}:0`]?.status).toBe('pending')
    expect(await listKeys(`raw/playlists/dt=${messages[0]?.dt}/${runId}/`)).toEqual([])

    // The redelivery, with S3 back, writes the object and only then acks.
    const again = await deliver(t, forced, { attempts: 2 })
    expect(again.result.explicitAcks).toEqual(again.ids)
    expect(await listKeys(`raw/playlists/dt=${messages[0]?.dt}/${runId}/`)).toHaveLength(1)
  })

  it('fails the runs of a batch at once on invalid config, naming the fields, without calling Spotify', async () => {
    const t = testEnv({ SPOTIFY_CLIENT_ID: '', CALL_BUDGET: 0 })
    const { runId, messages } = await begin(testEnv(), [shortList])
    const before = (await fakeAdmin().requests()).length
    const { result, ids } = await deliver(t, messages)
    expect(result.explicitAcks).toEqual(ids)
    expect((await fakeAdmin().requests()).length).toBe(before)
    const manifest = await manifestOf(runId)
    expect(manifest).toMatchObject({ status: 'failed', failure: { reason: 'config_invalid' } })
    expect(manifest?.failure?.message).toMatch(/SPOTIFY_CLIENT_ID: required.*CALL_BUDGET/)
    expect(globalThis.capturedLogs.some((l) => l.includes('config.invalid'))).toBe(true)
  })

  it('acks an invalid message after logging it (no delivery can fix it)', async () => {
    const t = testEnv()
    const { result, ids } = await deliver(t, [{ v: 1, kind: 'extract', runId: 'nope' }])
    expect(result.explicitAcks).toEqual(ids)
    expect(globalThis.capturedLogs.some((l) => l.includes('extract.invalid-message'))).toBe(true)
  })
})

/** The planned first messages of a run, rebuilt from its manifest (the begin() helper took them). */
async function startedMessages(runId: RunId) {
  const manifest = await manifestOf(runId)
  return Object.entries(manifest?.units ?? {}).map(([key, planned]) => {
    const [, playlistId] = key.split(':') as [string, string]
    // The account that reads it (the configured playlists read with the first connected account).
    const account = planned.account ? { accountId: planned.account } : {}
    return {
      body: {
        v: 1 as const,
        kind: 'extract' as const,
        runId,
        dt: manifest?.dt as string,
        force: false,
        unit: { type: 'playlist' as const, playlistId, offset: 0, part: 0, ...account },
      },
    }
  })
}
