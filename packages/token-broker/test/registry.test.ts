/** @module The registry against the fake Spotify over HTTP: seeding from the secret once, and /connect round trips. */
import type { AccountId } from '@spotify-lake/schemas'
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AccountPort, AccountRegistry, CONNECT_STATE_TTL_MS } from '../src/registry.ts'
import { importTokenKeys } from '../src/seal.ts'
import { currentAccount, tokenEndpointOf } from '../src/spotify.ts'
import type { SpotifyApp } from '../src/types.ts'
import { AccountVault } from '../src/vault.ts'
import { memoryKv } from './support/memory-kv.ts'

const KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
const keys = () => importTokenKeys({ current: KEY })

let fake: RunningFakeSpotify
let app: SpotifyApp
let clock: number
let vaults: Map<AccountId, AccountVault>
let registry: AccountRegistry
const registryKv = memoryKv()

beforeEach(async () => {
  clock = Date.UTC(2026, 2, 1)
  fake = await startFakeSpotify({ seed: 'registry', users: 2, now: () => clock })
  app = {
    clientId: fake.fake.credentials.clientId,
    clientSecret: fake.fake.credentials.clientSecret,
    accountsBaseUrl: fake.url,
    apiBaseUrl: `${fake.url}/v1`,
  }
  vaults = new Map()
  const port = (accountId: AccountId): AccountPort => {
    let vault = vaults.get(accountId)
    if (!vault) {
      vault = new AccountVault({ kv: memoryKv(), keys, endpoint: tokenEndpointOf, now: () => clock })
      vaults.set(accountId, vault)
    }
    const v = vault
    return {
      adopt: async (i) => v.adopt(i),
      record: async () => v.record(),
      disconnect: async () => v.disconnect(),
    }
  }
  for (const key of [...registryKv.list({ prefix: '' })].map(([k]) => k)) registryKv.delete(key)
  registry = new AccountRegistry({
    kv: registryKv,
    keys,
    endpoint: tokenEndpointOf,
    account: port,
    whoAmI: currentAccount,
    now: () => clock,
  })
})
afterEach(() => fake.close())

const tokenCalls = () => fake.fake.requests.filter((r) => r.path === '/api/token')

describe('seeding from SPOTIFY_REFRESH_TOKEN', () => {
  it('adopts the secret once (rotated token kept), by GET /me account_id; the same secret is never used again', async () => {
    const secret = fake.fake.credentials.refreshToken
    const first = await registry.ensureSeeded({
      app,
      refreshToken: secret,
      consentedAt: '2026-01-10T00:00:00.000Z',
    })
    const user = fake.fake.catalog.user
    expect(first).toEqual({ seeded: true, accountId: user.accountId })
    expect(await registry.accounts()).toMatchObject([
      {
        accountId: user.accountId,
        userId: user.id,
        status: 'connected',
        source: 'secret',
        consentedAt: '2026-01-10T00:00:00.000Z',
      },
    ])
    expect(await registry.ensureSeeded({ app, refreshToken: secret })).toEqual({
      seeded: false,
      why: 'known',
    })
    expect(tokenCalls()).toHaveLength(1)
    // The secret rotated away at the first refresh; the vault works with the successor.
    const vault = vaults.get(user.accountId) as AccountVault
    vault.invalidate('x')
    clock += 3600_000
    expect((await vault.accessToken(app)).ok).toBe(true)
    expect(registryKv.dump()).not.toContain(secret)
  })

  it('a new secret value reconnects; a refused one is remembered and not tried again', async () => {
    await registry.ensureSeeded({ app, refreshToken: fake.fake.credentials.refreshToken })
    const fresh = fake.fake.consent().refreshToken
    expect(await registry.ensureSeeded({ app, refreshToken: fresh })).toMatchObject({ seeded: true })
    expect(await registry.accounts()).toHaveLength(1)
    const refused = await registry.ensureSeeded({ app, refreshToken: 'a-token-spotify-never-issued' })
    expect(refused).toMatchObject({
      seeded: false,
      why: 'refused',
      error: { kind: 'auth', oauthError: 'invalid_grant' },
    })
    const calls = tokenCalls().length
    expect(await registry.ensureSeeded({ app, refreshToken: 'a-token-spotify-never-issued' })).toMatchObject({
      why: 'refused',
    })
    expect(tokenCalls()).toHaveLength(calls)
    expect(registry.seed()).toMatchObject({ outcome: 'refused', reason: 'invalid_grant' })
  })
})

describe('/connect round trips', () => {
  const redirectUri = 'https://lake.example/callback'

  /** What a browser does: follow the authorize URL, come back with the fake's redirect. */
  async function consentVia(state: string) {
    const url = `${fake.url}/authorize?${new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: redirectUri, state })}`
    const res = await fetch(url, { redirect: 'manual' })
    return new URL(res.headers.get('location') ?? '').searchParams
  }

  it('connects two accounts by their account_id, confidential code exchange (no rotation)', async () => {
    for (const user of fake.fake.catalog.accounts) {
      fake.fake.signIn(user.id)
      const { state } = await registry.startConnect({ nonceHash: 'browser-1', redirectUri })
      const back = await consentVia(state)
      expect(back.get('state')).toBe(state)
      const result = await registry.finishConnect({
        app,
        state,
        nonceHash: 'browser-1',
        code: back.get('code') ?? '',
      })
      expect(result).toMatchObject({ ok: true, account: { accountId: user.accountId, source: 'connect' } })
    }
    expect((await registry.accounts()).map((a) => a.userId)).toEqual(['fake-user', 'fake-user-2'])
    const exchange = tokenCalls().find((r) => r.grantType === 'authorization_code')
    expect(exchange?.status).toBe(200)
  })

  it('refuses a forged, replayed, expired or other-browser state, and reports a denied consent', async () => {
    const forged = await registry.finishConnect({ app, state: 'made-up', nonceHash: 'b', code: 'c' })
    expect(forged).toMatchObject({ ok: false, reason: 'unknown_state' })

    const { state } = await registry.startConnect({ nonceHash: 'browser-1', redirectUri })
    const code = (await consentVia(state)).get('code') ?? ''
    expect(await registry.finishConnect({ app, state, nonceHash: 'browser-1', code })).toMatchObject({
      ok: true,
    })
    const replayed = await registry.finishConnect({ app, state, nonceHash: 'browser-1', code })
    expect(replayed).toMatchObject({ ok: false, reason: 'unknown_state' })

    const late = await registry.startConnect({ nonceHash: 'browser-1', redirectUri })
    clock += CONNECT_STATE_TTL_MS + 1
    expect(
      await registry.finishConnect({ app, state: late.state, nonceHash: 'browser-1', code: 'c' }),
    ).toMatchObject({
      ok: false,
      reason: 'expired_state',
    })

    const other = await registry.startConnect({ nonceHash: 'browser-1', redirectUri })
    const otherCode = (await consentVia(other.state)).get('code') ?? ''
    const stolen = await registry.finishConnect({
      app,
      state: other.state,
      nonceHash: 'browser-2',
      code: otherCode,
    })
    expect(stolen).toMatchObject({ ok: false, reason: 'state_mismatch' })
    // Used up by the failed attempt: the right browser cannot use it afterwards either.
    expect(
      await registry.finishConnect({ app, state: other.state, nonceHash: 'browser-1', code: otherCode }),
    ).toMatchObject({ reason: 'unknown_state' })

    fake.fake.signIn('fake-user', { deny: true })
    const denied = await registry.startConnect({ nonceHash: 'browser-1', redirectUri })
    const back = await consentVia(denied.state)
    expect(
      await registry.finishConnect({
        app,
        state: denied.state,
        nonceHash: 'browser-1',
        error: back.get('error') ?? '',
      }),
    ).toEqual({
      ok: false,
      reason: 'access_denied',
      message: 'Spotify answered the consent with error "access_denied"',
    })
    // Only one code exchange ever happened.
    expect(tokenCalls().filter((r) => r.grantType === 'authorization_code')).toHaveLength(1)
  })

  it('disconnecting removes the tokens and keeps the account listed', async () => {
    const { state } = await registry.startConnect({ nonceHash: 'n', redirectUri })
    const code = (await consentVia(state)).get('code') ?? ''
    const result = await registry.finishConnect({ app, state, nonceHash: 'n', code })
    if (!result.ok) throw new Error(result.message)
    expect(await registry.disconnect(result.account.accountId)).toMatchObject({ status: 'disconnected' })
    expect(await registry.disconnect('unknown-account')).toBeNull()
    expect((await registry.accounts())[0]?.status).toBe('disconnected')
  })
})
