/** @module An account's vault against the fake Spotify over HTTP: single flight, rotation stored first, invalid_grant is final. */
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fingerprint, importTokenKeys, open, type Sealed } from '../src/seal.ts'
import { tokenEndpointOf } from '../src/spotify.ts'
import type { SpotifyApp, TokenResult } from '../src/types.ts'
import { AccountVault, AppVault, HANDOUT_MARGIN_MS } from '../src/vault.ts'
import { type MemoryKv, memoryKv } from './support/memory-kv.ts'

const KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))

let fake: RunningFakeSpotify
let app: SpotifyApp
let clock: number
beforeEach(async () => {
  clock = Date.UTC(2026, 2, 1)
  fake = await startFakeSpotify({ seed: 'vault', now: () => clock })
  app = {
    clientId: fake.fake.credentials.clientId,
    clientSecret: fake.fake.credentials.clientSecret,
    accountsBaseUrl: fake.url,
    apiBaseUrl: `${fake.url}/v1`,
  }
})
afterEach(() => fake.close())

const tokenCalls = () => fake.fake.requests.filter((r) => r.path === '/api/token')
const value = (result: TokenResult) => {
  if (!result.ok) throw new Error(`no token: ${result.error.message}`)
  return result.value
}

/** A vault holding a fresh PKCE consent (its refresh token rotates), as `adopt` after a connect would. */
async function connectedVault(kv: MemoryKv = memoryKv()) {
  const vault = new AccountVault({
    kv,
    keys: () => importTokenKeys({ current: KEY }),
    endpoint: tokenEndpointOf,
    now: () => clock,
  })
  const { refreshToken, consentedAt } = fake.fake.consent()
  await vault.adopt({
    accountId: fake.fake.catalog.user.accountId,
    userId: fake.fake.catalog.user.id,
    consentedAt: new Date(consentedAt).toISOString(),
    source: 'connect',
    refreshToken,
    // An access token that is already stale: the first request refreshes.
    accessToken: 'stale-access-token-0123456789',
    expiresAt: clock,
  })
  return { vault, kv, refreshToken }
}

describe('AccountVault', () => {
  it('two concurrent consumers cause one refresh; the token is handed out until shortly before expiry', async () => {
    const { vault } = await connectedVault()
    const [a, b] = await Promise.all([vault.accessToken(app), vault.accessToken(app)])
    expect(value(a)).toBe(value(b))
    expect(tokenCalls()).toHaveLength(1)
    clock += 3600_000 - HANDOUT_MARGIN_MS - 1
    expect(value(await vault.accessToken(app))).toBe(value(a))
    expect(tokenCalls()).toHaveLength(1)
    clock += 1
    expect(value(await vault.accessToken(app))).not.toBe(value(a))
    expect(tokenCalls()).toHaveLength(2)
    expect(vault.record()).toMatchObject({ refreshes: 2, rotations: 2, status: 'connected' })
  })

  it('stores the rotated refresh token sealed before handing out the access token; the old one is dead', async () => {
    const { vault, kv, refreshToken } = await connectedVault()
    const result = await vault.accessToken(app)
    expect(result.ok).toBe(true)
    const stored = kv.get<Sealed>('refresh') as Sealed
    const keys = await importTokenKeys({ current: KEY })
    const current = await open(keys, stored, `account:${fake.fake.catalog.user.accountId}:refresh`)
    expect(current).not.toBe(refreshToken)
    expect(current).toMatch(/^fake-rt-/)
    // The storage holds no token in the clear.
    for (const token of [current, refreshToken, value(result)]) expect(kv.dump()).not.toContain(token)
    // Spotify revoked the first one: only the stored successor works.
    const old = await tokenEndpointOf(app)
      .refresh(refreshToken)
      .catch((e: unknown) => e)
    expect(old).toMatchObject({ oauthError: 'invalid_grant' })
  })

  it('a refused access token (401) is dropped and the next request refreshes', async () => {
    const { vault } = await connectedVault()
    const first = value(await vault.accessToken(app))
    await vault.invalidate(await fingerprint('some-other-token'))
    expect(value(await vault.accessToken(app))).toBe(first)
    await vault.invalidate(await fingerprint(first))
    expect(value(await vault.accessToken(app))).not.toBe(first)
    expect(tokenCalls()).toHaveLength(2)
  })

  it('six months after consent: invalid_grant, reauth_required, and the token endpoint is not asked again', async () => {
    const { vault } = await connectedVault()
    value(await vault.accessToken(app))
    clock += 184 * 86_400_000
    const [a, b] = await Promise.all([vault.accessToken(app), vault.accessToken(app)])
    expect(a).toEqual(b)
    expect(a).toMatchObject({ ok: false, error: { kind: 'auth', oauthError: 'invalid_grant' } })
    expect(tokenCalls().map((r) => r.status)).toEqual([200, 400])
    expect(vault.record()).toMatchObject({
      status: 'reauth_required',
      failure: { reason: 'reauth_required', message: expect.stringContaining('Refresh token expired') },
    })
    const again = await vault.accessToken(app)
    expect(again).toMatchObject({ ok: false, error: { oauthError: 'invalid_grant' } })
    expect(tokenCalls()).toHaveLength(2)
  })

  it('a transient failure leaves the account connected; disconnect removes the tokens and keeps the record', async () => {
    const { vault, kv } = await connectedVault()
    fake.fake.setFaults({ serverErrors: { rate: 1, statuses: [503], path: '/api/token' } })
    const down = await vault.accessToken(app)
    expect(down).toMatchObject({ ok: false, error: { kind: 'unavailable' } })
    expect(vault.record()?.status).toBe('connected')
    fake.fake.setFaults({})
    value(await vault.accessToken(app))
    expect(vault.disconnect()).toMatchObject({ status: 'disconnected' })
    expect(kv.get('refresh')).toBeUndefined()
    expect(kv.get('access')).toBeUndefined()
    expect(await vault.accessToken(app)).toMatchObject({ ok: false, error: { kind: 'config' } })
  })
})

describe('a replaced TOKEN_ENCRYPTION_KEY', () => {
  it('costs a cached access token a refresh, while a refresh token it cannot open is a config error', async () => {
    const kv = memoryKv()
    const keys = () => importTokenKeys({ current: KEY })
    value(await new AppVault({ kv, keys, endpoint: tokenEndpointOf, now: () => clock }).accessToken(app))
    const other = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    const otherKeys = () => importTokenKeys({ current: other })
    value(
      await new AppVault({ kv, keys: otherKeys, endpoint: tokenEndpointOf, now: () => clock }).accessToken(
        app,
      ),
    )
    expect(tokenCalls()).toHaveLength(2)

    const { kv: accountKv } = await connectedVault()
    const stranger = new AccountVault({
      kv: accountKv,
      keys: otherKeys,
      endpoint: tokenEndpointOf,
      now: () => clock,
    })
    expect(await stranger.accessToken(app)).toMatchObject({
      ok: false,
      error: { kind: 'config', message: expect.stringMatching(/TOKEN_ENCRYPTION_KEY_PREVIOUS/) },
    })
    expect(stranger.record()?.status).toBe('connected')

    // With the old key as the previous one, the next refresh seals the refresh token with the new key.
    const rotating = new AccountVault({
      kv: accountKv,
      keys: () => importTokenKeys({ current: other, previous: KEY }),
      endpoint: tokenEndpointOf,
      now: () => clock,
    })
    value(await rotating.accessToken(app))
    const resealed = accountKv.get<Sealed>('refresh') as Sealed
    expect(resealed.kid).toBe((await importTokenKeys({ current: other })).current.id)
  })
})

describe('AppVault', () => {
  it('one client-credentials token for every consumer until shortly before it expires', async () => {
    const vault = new AppVault({
      kv: memoryKv(),
      keys: () => importTokenKeys({ current: KEY }),
      endpoint: tokenEndpointOf,
      now: () => clock,
    })
    const tokens = await Promise.all([1, 2, 3].map(() => vault.accessToken(app)))
    expect(new Set(tokens.map(value)).size).toBe(1)
    expect(tokenCalls().map((r) => r.grantType)).toEqual(['client_credentials'])
  })
})
