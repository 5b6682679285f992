/**
 * @module The token broker through the real runtime: two consumers share one refresh, a rotated refresh
 * token is stored (sealed) before use and carries into the next invocation and the next day, and a consent
 * Spotify ended six months on fails the run within its first message, with no retry and no further token call.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { ExtractMessage, RunId } from '@spotify-lake/schemas'
import { brokerOf, importTokenKeys, open, type Sealed } from '@spotify-lake/token-broker'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { spotifyAppOf } from '../../src/accounts/broker.ts'
import { ExtractConfigSchema, readConfig } from '../../src/config.ts'
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

const { development, secrets } = inject('spotify')
const { owned, collaborative } = development.playlists
/** Three playlists the account may read (owned or collaborative): one message each. */
const readable = [owned[0], owned[1], collaborative[0]] as [string, string, string]
const account = development.user.accountId
const started: RunId[] = []

const broker = () => brokerOf(env.TOKEN_BROKER, spotifyAppOf(readConfig(ExtractConfigSchema, testEnv().env)))
const accountStub = () => broker().account(account)

/** The refresh token the account's instance holds now, opened with the Worker's key. */
async function storedRefreshToken(): Promise<string> {
  const sealed = await runInDurableObject(accountStub(), async (_instance, state) =>
    state.storage.kv.get<Sealed>('refresh'),
  )
  if (!sealed) throw new Error('no refresh token stored')
  return open(await importTokenKeys({ current: secrets.tokenKey }), sealed, `account:${account}:refresh`)
}

/** What a storage dump of the account's instance shows. */
async function storageDump(): Promise<string> {
  return runInDurableObject(accountStub(), async (_instance, state) =>
    JSON.stringify([...state.storage.kv.list()]),
  )
}

/** As if the access token had run out: the next consumer makes the broker refresh. */
async function dropAccessToken(): Promise<void> {
  await runInDurableObject(accountStub(), async (_instance, state) => {
    state.storage.kv.delete('access')
  })
}

const refreshCalls = async () =>
  (await fakeAdmin().tokenRequests()).filter((r) => r.grantType === 'refresh_token')

async function runOf(t: TestEnv, playlists: string[]): Promise<{ runId: RunId; messages: ExtractMessage[] }> {
  const result = await startRun({ env: t.env, sources: { playlists, myPlaylists: false }, trigger: 'http' })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  return { runId: result.runId, messages: t.extract.take().map((m) => m.body) }
}

beforeAll(async () => {
  await fakeAdmin().reset()
  await seedAccounts(testEnv())
})
beforeEach(() => wipe('state/'))
afterEach(async () => {
  await fakeAdmin().faults({})
  await releaseGlobal(started.splice(0))
})
afterAll(() => fakeAdmin().reset())

describe('the token broker in workerd', () => {
  it('two concurrent consumers cause one refresh', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await runOf(t, [readable[1], readable[2]])
    await dropAccessToken()
    // Slow token answers: both invocations are surely waiting for a token at the same time.
    await fakeAdmin().faults({ latency: { ms: 400, path: '/api/token' } })
    const before = (await refreshCalls()).length
    const [a, b] = await Promise.all([deliver(t, [messages[0]]), deliver(t, [messages[1]])])
    expect([...a.result.explicitAcks, ...b.result.explicitAcks]).toEqual([...a.ids, ...b.ids])
    expect((await refreshCalls()).slice(before)).toHaveLength(1)
    const units = (await manifestOf(runId))?.units ?? {}
    for (const id of [readable[1], readable[2]]) expect(units[`playlist:${id}:0`]?.status).toBe('extracted')
  })

  it('a rotated refresh token is stored sealed before use and carries into the next invocation and the next day', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { messages } = await runOf(t, readable)
    const first = await storedRefreshToken()
    await dropAccessToken()
    const calls = (await refreshCalls()).length

    // Invocation 1 refreshes: Spotify rotates the refresh token and revokes the old one.
    expect((await deliver(t, [messages[0]])).result.retryMessages).toEqual([])
    expect((await refreshCalls()).length).toBe(calls + 1)
    const second = await storedRefreshToken()
    expect(second).not.toBe(first)
    const dump = await storageDump()
    for (const token of [first, second]) expect(dump).not.toContain(token)
    const reuse = await fetch(`${development.url}/api/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first,
        client_id: secrets.clientId,
      }),
    })
    expect(await reuse.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' })
    const afterReuse = (await refreshCalls()).length

    // Invocation 2: the access token is handed out, no token call.
    expect((await deliver(t, [messages[1]])).result.retryMessages).toEqual([])
    expect((await refreshCalls()).length).toBe(afterReuse)

    // The next day Spotify no longer takes that access token: the stored successor refreshes.
    await fakeAdmin().advanceClock(86_400_000)
    expect((await deliver(t, [messages[2]])).result.retryMessages).toEqual([])
    const after = await refreshCalls()
    expect(after.length).toBe(afterReuse + 1)
    expect(after.at(-1)?.status).toBe(200)
    expect(await storedRefreshToken()).not.toBe(second)
    await fakeAdmin().reset()
  })

  it('six months after consent: reauth_required within the first message, zero retries, no further token call', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const { runId, messages } = await runOf(t, [readable[1], readable[2]])
    // Spotify's clock moves past the consent's six months: its access tokens are dead, and the refresh token.
    await fakeAdmin().advanceClock(184 * 86_400_000)
    const calls = (await fakeAdmin().tokenRequests()).length

    const one = await deliver(t, [messages[0]])
    expect(one.result.retryMessages).toEqual([])
    expect(one.result.explicitAcks).toEqual(one.ids)
    const tokenCalls = (await fakeAdmin().tokenRequests()).slice(calls)
    expect(tokenCalls.map((r) => [r.grantType, r.status])).toEqual([['refresh_token', 400]])
    const manifest = await manifestOf(runId)
    expect(manifest).toMatchObject({
      status: 'failed',
      failure: { reason: 'reauth_required', unit: `playlist:${readable[1]}:0` },
    })
    expect(manifest?.failure?.message).toMatch(/invalid_grant \(Refresh token expired\)/)
    expect(manifest?.failure?.action).toMatch(/\/connect/)
    expect(manifest?.units[`playlist:${readable[2]}:0`]).toMatchObject({
      status: 'failed',
      reason: 'reauth_required',
    })
    expect(manifest?.accounts[account]).toMatchObject({
      status: 'reauth_required',
      failure: { reason: 'reauth_required' },
    })
    expect(manifest?.accounts[account]?.warning).toMatch(/\/connect/)

    // The other message: acked, no call to Spotify at all, not even the token endpoint.
    const requests = (await fakeAdmin().requests()).length
    const two = await deliver(t, [messages[1]])
    expect(two.result.explicitAcks).toEqual(two.ids)
    expect((await fakeAdmin().requests()).length).toBe(requests)
    expect((await fakeAdmin().tokenRequests()).slice(calls)).toHaveLength(1)

    // The next run fails at its start, visibly, without asking Spotify.
    const next = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: true },
      trigger: 'cron',
    })
    expect(next).toMatchObject({ started: false, busy: false, failure: { reason: 'reauth_required' } })
    if (!next.started && 'runId' in next) started.push(next.runId)
    expect((await fakeAdmin().tokenRequests()).slice(calls)).toHaveLength(1)

    // A new consent (here: a new secret value) reconnects the account.
    await fakeAdmin().reset()
    const fresh = testEnv({ SPOTIFY_REFRESH_TOKEN: await fakeAdmin().consent() })
    await seedAccounts(fresh)
    const records = await broker().registry.listAccounts(broker().app)
    expect(records.map((r) => [r.accountId, r.status])).toEqual([[account, 'connected']])
  })
})
