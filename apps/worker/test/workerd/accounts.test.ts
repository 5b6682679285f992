/**
 * @module Accounts in health, runs and the API: the days of consent left and the warning from five months
 * on, a refused account degrading health with what to do, disconnecting (data kept), and quota 429s.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { globalStub } from '@spotify-lake/run-coordinator'
import type { RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { startRun } from '../../src/run/start-run.ts'
import {
  deliver,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  seedAccounts,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { listKeys } from './support/s3-readback.ts'

const { development, secrets } = inject('spotify')
const account = development.user.accountId
const bearer = { authorization: `Bearer ${secrets.apiToken}` }
const started: RunId[] = []
const DAY = 86_400_000

async function call(t: TestEnv, path: string, init: RequestInit = {}) {
  const res = await worker.fetch(
    new Request(`https://lake.example${path}`, init),
    t.env,
    createExecutionContext(),
  )
  const text = await res.text()
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret)
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> }
}

/** A new consent of the fake's user (a new secret value reseeds the account), given `daysAgo`. */
async function reconnect(daysAgo: number): Promise<TestEnv> {
  const t = testEnv({
    SPOTIFY_REFRESH_TOKEN: await fakeAdmin().consent(),
    SPOTIFY_CONSENTED_AT: new Date(Date.now() - daysAgo * DAY).toISOString(),
    SPOTIFY_API_MODE: 'development',
  })
  await seedAccounts(t)
  return t
}

beforeEach(async () => {
  await fakeAdmin().reset()
  await wipe('state/')
})
afterEach(async () => {
  await fakeAdmin().faults({})
  await globalStub(env.RUN_COORDINATOR).unblock()
  await releaseGlobal(started.splice(0))
})

describe('the six-month rhythm', () => {
  it('from five months after consent, health and the run manifest warn with the days left', async () => {
    const fresh = await reconnect(10)
    const early = await call(fresh, '/health')
    expect(early.body).toMatchObject({
      status: 'ok',
      accounts: [{ accountId: account, status: 'connected' }],
    })
    expect(early.body.warnings).toBeUndefined()

    const t = await reconnect(165)
    const health = await call(t, '/health')
    expect(health.body.status).toBe('ok')
    const [state] = health.body.accounts as { daysLeft: number; warning: string }[]
    expect(state?.daysLeft).toBeGreaterThanOrEqual(13)
    expect(state?.daysLeft).toBeLessThanOrEqual(19)
    expect(state?.warning).toMatch(
      new RegExp(`expires in ${state?.daysLeft} day\\(s\\).*https://lake.example/connect`),
    )
    expect(health.body.warnings).toEqual([`account ${account}: ${state?.warning}`])

    const result = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: true },
      trigger: 'cron',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    const manifest = await manifestOf(result.runId)
    expect(manifest?.accounts[account]).toMatchObject({ daysLeft: state?.daysLeft, status: 'connected' })
    expect(manifest?.warnings).toEqual([
      expect.stringMatching(new RegExp(`^account ${account}: .*expires in ${state?.daysLeft} day`)),
    ])
  })

  it('an account Spotify refused degrades health and says what to do; reconnecting clears it', async () => {
    const t = await reconnect(0)
    const result = await startRun({
      env: t.env,
      sources: { playlists: [development.playlists.owned[1] as string], myPlaylists: false },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await fakeAdmin().advanceClock(190 * DAY)
    await deliver(
      t,
      t.extract.take().map((m) => m.body),
    )
    const health = await call(t, '/health')
    expect(health.body).toMatchObject({
      status: 'degraded',
      accounts: [{ accountId: account, status: 'reauth_required' }],
    })
    expect((health.body.problems as string[])[0]).toMatch(/reauth_required.*https:\/\/lake.example\/connect/)
    const listed = await call(t, '/accounts', { headers: bearer })
    expect(listed.body.accounts).toMatchObject([
      { accountId: account, status: 'reauth_required', failure: { reason: 'reauth_required' } },
    ])

    await fakeAdmin().reset()
    await reconnect(0)
    expect((await call(t, '/health')).body).toMatchObject({
      status: 'ok',
      accounts: [{ status: 'connected' }],
    })
  })
})

describe('disconnecting', () => {
  it('removes the tokens, keeps the data, and runs no longer extract the account', async () => {
    const t = await reconnect(0)
    const result = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: true },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await deliver(
      t,
      t.extract
        .take()
        .map((m) => m.body)
        .slice(0, 1),
    )
    const raw = await listKeys(`raw/playlists/dt=${result.dt}/${result.runId}/`)
    expect(raw.length).toBeGreaterThan(0)
    await releaseGlobal(started.splice(0))

    const gone = await call(t, `/accounts/${account}/disconnect`, { method: 'POST', headers: bearer })
    expect(gone).toMatchObject({ status: 200, body: { accountId: account, status: 'disconnected' } })
    expect(
      (await call(t, '/accounts/no-such-account/disconnect', { method: 'POST', headers: bearer })).status,
    ).toBe(404)
    expect((await call(t, `/accounts/${account}/disconnect`, { method: 'POST' })).status).toBe(401)
    expect(await listKeys(`raw/playlists/dt=${result.dt}/${result.runId}/`)).toEqual(raw)
    // Health shows the account as disconnected, and that no account is left for "my playlists".
    const mine = { ...t, env: { ...t.env, SOURCES: { playlists: [], myPlaylists: true } } as unknown as Env }
    const health = await call(mine, '/health')
    expect(health.body).toMatchObject({
      status: 'degraded',
      accounts: [{ accountId: account, status: 'disconnected' }],
    })
    expect(health.body.problems).toEqual([
      expect.stringMatching(/^no Spotify account is connected: open https:\/\/lake.example\/connect/),
    ])

    // With no account left (and the secret already used), a run for "my playlists" has nothing to read.
    const refused = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: true },
      trigger: 'http',
    })
    expect(refused).toMatchObject({ started: false, noAccount: true })
    await reconnect(0)
  })
})

describe('the per-developer quota', () => {
  it('a 429 with reason QUOTA_EXCEEDED is a long block with its own message in the manifest and health', async () => {
    const t = await reconnect(0)
    await fakeAdmin().faults({ rateLimit: { requests: 0, retryAfterSeconds: 5, quota: true } })
    const result = await startRun({
      env: t.env,
      sources: { playlists: [development.playlists.owned[1] as string], myPlaylists: false },
      trigger: 'http',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    const { result: batch, ids } = await deliver(
      t,
      t.extract.take().map((m) => m.body),
    )
    // Not slept through and not a 5 s wait: at least an hour (SPOTIFY_QUOTA_BLOCK_SECONDS).
    expect(batch.retryMessages).toEqual([{ msgId: ids[0], delaySeconds: expect.any(Number) }])
    expect(batch.retryMessages[0]?.delaySeconds).toBeGreaterThanOrEqual(3590)
    const manifest = await manifestOf(result.runId)
    expect(manifest).toMatchObject({ status: 'deferred', blockedReason: 'quota_exceeded' })
    expect(manifest?.warnings.join('\n')).toMatch(
      /quota for this developer account is used up \(QUOTA_EXCEEDED\)/,
    )
    expect(manifest?.units[`playlist:${development.playlists.owned[1]}:0`]).toMatchObject({
      status: 'deferred',
    })
    const health = await call(t, '/health')
    expect(health.body).toMatchObject({ status: 'degraded', spotify: { reason: 'quota_exceeded' } })
    expect((health.body.problems as string[]).join('\n')).toMatch(/QUOTA_EXCEEDED/)
  })
})
