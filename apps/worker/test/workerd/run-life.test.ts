/**
 * @module A run's life in workerd: a run that cannot start frees the lock and says why; a run that
 * stops progressing is closed by its coordinator's alarm; the lock belongs to a live run only;
 * cancelling closes a run. Through the real Worker, its Durable Object and S3 behind a stand-in
 * that fails like AWS.
 */
import { createExecutionContext, runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { globalStub, runStub } from '@spotify-lake/run-coordinator'
import { lakeKeys, newRunId, type RunId, type RunManifest } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { startRun } from '../../src/run/start-run.ts'
import {
  deliver,
  fakeAdmin,
  lake,
  manifestOf,
  releaseGlobal,
  s3Mode,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'

const { secrets, development } = inject('spotify')
const [playlistA, playlistB] = development.playlists.owned as [string, string]
const auth = { authorization: `Bearer ${secrets.apiToken}` }
const started: RunId[] = []

async function call(t: TestEnv, path: string, init: RequestInit = {}) {
  const res = await worker.fetch(
    new Request(`http://worker.test${path}`, init),
    t.env,
    createExecutionContext(),
  )
  const text = await res.text()
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret)
  return { res, status: res.status, body: JSON.parse(text) as Record<string, unknown> }
}

const refresh = (t: TestEnv, body: unknown = { playlists: [playlistA] }) =>
  call(t, '/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  })

/** Whether a new run could take the lock right now (it is released again at once). */
async function lockIsFree(): Promise<boolean> {
  const probe = newRunId()
  const result = await globalStub(env.RUN_COORDINATOR).acquire({ runId: probe, force: false })
  if (result.acquired) await globalStub(env.RUN_COORDINATOR).release(probe)
  return result.acquired
}

const storedManifest = (runId: RunId) => lake().getJson<RunManifest>(lakeKeys.manifest(runId))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeEach(async () => {
  await s3Mode('pass')
  await fakeAdmin().reset()
  await wipe('runs/')
  await wipe('state/')
})
afterEach(async () => {
  await s3Mode('pass')
  await releaseGlobal(started.splice(0))
})

describe('a run that cannot start', () => {
  it('with S3 unreachable: 503, the reason and what to do; the lock is free; the manifest lands once S3 is back', async () => {
    await s3Mode('unreachable')
    const t = testEnv()
    const failed = await refresh(t)
    expect(failed.status).toBe(503)
    expect(failed.res.headers.get('retry-after')).toBe('60')
    const runId = failed.body.run_id as RunId
    expect(failed.body).toMatchObject({ status: 'failed', reason: 's3_unavailable' })
    expect(failed.body.message).toMatch(/manifest could not be written to S3/)
    expect(failed.body.action).toMatch(/retried|try again/)
    expect(t.extract.sent).toEqual([])
    expect(await lockIsFree()).toBe(true)
    // The coordinator holds the closed run; GET /runs/:id says why even while S3 is down.
    expect(await manifestOf(runId)).toMatchObject({ status: 'failed', failure: { reason: 's3_unavailable' } })

    // S3 comes back: the coordinator's alarm mirrors the failed manifest, and GET /runs lists it.
    await s3Mode('pass')
    expect(await storedManifest(runId)).toBeNull()
    expect(await runDurableObjectAlarm(runStub(env.RUN_COORDINATOR, runId))).toBe(true)
    expect(await storedManifest(runId)).toMatchObject({
      status: 'failed',
      failure: { reason: 's3_unavailable' },
    })
    const list = await call(t, '/runs', { headers: auth })
    expect((list.body.runs as RunManifest[]).map((m) => [m.runId, m.status])).toEqual([[runId, 'failed']])
    // And the next refresh starts (no 409 for a run that never started).
    const next = await refresh(t)
    expect(next.status).toBe(202)
    started.push(next.body.run_id as RunId)
  })

  it.each([
    ['signature-mismatch', 's3_access_denied', /S3_SECRET_ACCESS_KEY/],
    ['no-such-bucket', 's3_bucket_missing', /S3_BUCKET/],
  ] as const)(
    'with S3 refusing (%s): 500 with reason %s and what to fix; the lock is free',
    async (mode, reason, action) => {
      await s3Mode(mode)
      const t = testEnv()
      const failed = await refresh(t)
      expect(failed.status).toBe(500)
      expect(failed.body).toMatchObject({ status: 'failed', reason })
      expect(failed.body.action).toMatch(action)
      expect(failed.body.error).toMatch(/could not start/)
      expect(await manifestOf(failed.body.run_id as RunId)).toMatchObject({
        status: 'failed',
        failure: { reason },
      })
      expect(await lockIsFree()).toBe(true)
    },
  )
})

describe('permanent errors are not transient', () => {
  it('refuses a run whose consumers lack a client secret before it starts: no 202, no run, no lock', async () => {
    const t = testEnv({ SPOTIFY_CLIENT_SECRET: '' })
    const res = await refresh(t)
    expect(res.status).toBe(500)
    expect(res.body).toMatchObject({ error: 'worker misconfigured', fields: ['SPOTIFY_CLIENT_SECRET'] })
    expect(t.extract.sent).toEqual([])
    expect(await lockIsFree()).toBe(true)
    expect(await lake().listKeys('runs/')).toEqual([])
  })

  it('fails the run at once on a wrong client secret (spotify_client_invalid): reason in the manifest, lock released, other units unworked', async () => {
    const reason = 'spotify_client_invalid'
    const t = testEnv({
      SPOTIFY_CLIENT_SECRET: 'SECRET-a-wrong-client-secret',
      SPOTIFY_API_MODE: 'development',
    })
    const result = await startRun({
      env: t.env,
      sources: { playlists: [playlistA, playlistB], myPlaylists: false },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    const [first, second] = t.extract.take().map((m) => m.body)
    // The broker still holds valid tokens: the wrong secret shows once Spotify stops taking them.
    await fakeAdmin().expireTokens()

    const one = await deliver(t, [first])
    expect(one.result.retryMessages).toEqual([])
    expect(one.result.explicitAcks).toEqual(one.ids)
    const manifest = await manifestOf(result.runId)
    expect(manifest?.status).toBe('failed')
    expect(manifest?.failure).toMatchObject({ reason, unit: `playlist:${playlistA}:0` })
    expect(manifest?.failure?.action).toMatch(/SPOTIFY_CLIENT_SECRET/)
    expect(manifest?.units[`playlist:${playlistB}:0`]).toMatchObject({ status: 'failed', reason })
    expect(await lockIsFree()).toBe(true)
    // The S3 manifest says the same.
    expect(await storedManifest(result.runId)).toMatchObject({ status: 'failed', failure: { reason } })

    // The run's other message is acked without a single call to Spotify.
    const before = (await fakeAdmin().requests()).length
    const two = await deliver(t, [second])
    expect(two.result.explicitAcks).toEqual(two.ids)
    expect((await fakeAdmin().requests()).length).toBe(before)
  })

  it('fails the run at once when S3 starts refusing the Worker mid-run (a wrong key)', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const result = await startRun({
      env: t.env,
      sources: { playlists: [playlistB], myPlaylists: false },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await s3Mode('signature-mismatch')
    const { result: batch, ids } = await deliver(
      t,
      t.extract.take().map((m) => m.body),
    )
    expect(batch.explicitAcks).toEqual(ids)
    await s3Mode('pass')
    expect(await manifestOf(result.runId)).toMatchObject({
      status: 'failed',
      failure: { reason: 's3_access_denied' },
    })
    expect(await lockIsFree()).toBe(true)
  })
})

describe('a run that stops progressing', () => {
  it('is closed as abandoned by its alarm, with the units it waited for, and never stays running', async () => {
    const t = testEnv()
    const result = await startRun({
      env: t.env,
      sources: { playlists: [playlistA, playlistB], myPlaylists: false },
      trigger: 'http',
      stallTimeoutMs: 1000,
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    // Its messages are lost (a stopped local stack, a deleted queue): nobody reports for the run.
    t.extract.take()
    await sleep(1200)
    await runDurableObjectAlarm(runStub(env.RUN_COORDINATOR, result.runId))
    const manifest = await manifestOf(result.runId)
    expect(manifest).toMatchObject({ status: 'abandoned', failure: { reason: 'stalled' } })
    expect(manifest?.failure?.message).toMatch(/no progress for .* 2 unit\(s\) never settled .*playlist:/)
    expect(manifest?.finishedAt).toBeDefined()
    expect(await storedManifest(result.runId)).toMatchObject({ status: 'abandoned' })
    expect(await lockIsFree()).toBe(true)
  })

  it('gives its lock to the next run at once: no 409 for a stalled holder', async () => {
    const t = testEnv()
    const stale = await startRun({
      env: t.env,
      sources: { playlists: [playlistA], myPlaylists: false },
      trigger: 'http',
      stallTimeoutMs: 1000,
    })
    if (!stale.started) throw new Error('run did not start')
    started.push(stale.runId)
    const busy = await refresh(t)
    expect(busy.status).toBe(409)
    expect(busy.body).toMatchObject({ active_run_id: stale.runId })
    expect(busy.body.last_activity_at).toEqual(expect.any(String))
    // The hint names the API field and the CLI flag alike.
    expect(busy.body.hint).toMatch(/"force": true.*--force/)
    await sleep(1200)
    const next = await refresh(t)
    expect(next.status).toBe(202)
    started.push(next.body.run_id as RunId)
    expect(await manifestOf(stale.runId)).toMatchObject({
      status: 'abandoned',
      failure: { reason: 'stalled' },
    })
  })

  it('keeps a live run that reports: its deadline moves with every report', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const result = await startRun({
      env: t.env,
      sources: { playlists: [playlistB], myPlaylists: false },
      trigger: 'http',
      stallTimeoutMs: 1500,
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await sleep(1000)
    await deliver(
      t,
      t.extract.take().map((m) => m.body),
    )
    await sleep(700)
    // 1.7 s after the start, 0.7 s after the last report: still live.
    await runDurableObjectAlarm(runStub(env.RUN_COORDINATOR, result.runId))
    expect((await manifestOf(result.runId))?.status).toBe('running')
    expect(await lockIsFree()).toBe(false)
  })
})

describe('POST /runs/:id/cancel', () => {
  it('closes the run as abandoned (reason cancelled), frees the lock; its messages are acked unworked', async () => {
    const t = testEnv()
    const res = await refresh(t, { playlists: [playlistA, playlistB] })
    const runId = res.body.run_id as RunId
    started.push(runId)
    const cancelled = await call(t, `/runs/${runId}/cancel`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ reason: 'stopped by the user (SIGINT)' }),
    })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ status: 'abandoned', failure: { reason: 'cancelled' } })
    expect((cancelled.body.failure as { message: string }).message).toMatch(/SIGINT/)
    expect(await lockIsFree()).toBe(true)
    const before = (await fakeAdmin().requests()).length
    const { result, ids } = await deliver(
      t,
      t.extract.take().map((m) => m.body),
    )
    expect(result.explicitAcks).toEqual(ids)
    expect((await fakeAdmin().requests()).length).toBe(before)
    // Cancelling again changes nothing; an unknown run is a 404.
    expect((await call(t, `/runs/${runId}/cancel`, { method: 'POST', headers: auth })).body.status).toBe(
      'abandoned',
    )
    expect(
      (await call(t, '/runs/20200101T000000000Z-zzzzzz/cancel', { method: 'POST', headers: auth })).status,
    ).toBe(404)
  })
})
