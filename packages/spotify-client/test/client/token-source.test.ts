/** @module Unit tests: access tokens from a source (a broker), the token endpoint's three grants, quota 429s. */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  type AccessToken,
  createSpotifyClient,
  createTokenEndpoint,
  RateLimitedError,
  SpotifyAuthError,
  SpotifyConfigError,
} from '../../src/index.ts'
import {
  CLIENT,
  createFakeClock,
  createStubFetch,
  json,
  type StubRequest,
  tokenResponse,
} from './support/stub-fetch.ts'

const OkSchema = z.object({ ok: z.literal(true) })
const bearer = (request: StubRequest | undefined) =>
  request?.headers.get('authorization')?.replace('Bearer ', '')

describe('access tokens from a source', () => {
  it('never calls the token endpoint, caches until expiry and asks again after a 401', async () => {
    const clock = createFakeClock()
    let served = 0
    const refused: string[] = []
    const source = {
      get: async (): Promise<AccessToken> => ({
        value: `brokered-token-${++served}-${'y'.repeat(20)}`,
        expiresAt: clock.now() + 600_000,
      }),
      invalidate: async (token: string) => {
        refused.push(token)
      },
    }
    let first = true
    const stub = createStubFetch({
      api: (r) => {
        // Spotify revoked the first token early: 401 once.
        if (first && bearer(r)?.startsWith('brokered-token-1')) {
          first = false
          return json({ error: { status: 401, message: 'The access token expired' } }, { status: 401 })
        }
        return json({ ok: true })
      },
    })
    const client = createSpotifyClient({
      clientId: CLIENT.clientId,
      userAccessToken: source,
      mode: 'development',
      fetch: stub.fetch,
      ...clock,
    })
    const get = () => client.request({ endpoint: '/me/things', schema: OkSchema, token: 'user' })
    await get()
    await get()
    expect(stub.tokenRequests()).toEqual([])
    expect(refused).toEqual([expect.stringMatching(/^brokered-token-1-/)])
    expect(stub.apiRequests().map(bearer)).toEqual([
      expect.stringMatching(/^brokered-token-1-/),
      expect.stringMatching(/^brokered-token-2-/),
      expect.stringMatching(/^brokered-token-2-/),
    ])
    clock.advance(600_000)
    await get()
    expect(served).toBe(3)
  })

  it('shares one `get` among concurrent callers, and an error of the source reaches the caller', async () => {
    const clock = createFakeClock()
    let calls = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const stub = createStubFetch({ api: () => json({ ok: true }) })
    const client = createSpotifyClient({
      clientId: CLIENT.clientId,
      appAccessToken: {
        get: async () => {
          calls++
          await gate
          return { value: 'app-token-from-broker-0123456789', expiresAt: clock.now() + 3_600_000 }
        },
      },
      mode: 'development',
      fetch: stub.fetch,
      ...clock,
    })
    const all = Promise.all(
      [1, 2, 3].map(() => client.request({ endpoint: '/x', schema: OkSchema, token: 'prefer-app' })),
    )
    release()
    await all
    expect(calls).toBe(1)
    const failing = createSpotifyClient({
      clientId: CLIENT.clientId,
      userAccessToken: {
        get: () =>
          Promise.reject(
            new SpotifyAuthError('reauth', { endpoint: 'POST /api/token', oauthError: 'invalid_grant' }),
          ),
      },
      mode: 'development',
      fetch: stub.fetch,
      ...clock,
    })
    await expect(failing.getCurrentUser()).rejects.toMatchObject({ oauthError: 'invalid_grant' })
  })
})

describe('createTokenEndpoint', () => {
  it('refresh: Basic auth with the secret, the rotated token comes back; invalid_grant is a SpotifyAuthError', async () => {
    const stub = createStubFetch({
      api: () => json({}),
      token: (r) => {
        const form = Object.fromEntries(new URLSearchParams(r.body))
        if (form.refresh_token === 'dead-refresh-token-0123456789') {
          return json({ error: 'invalid_grant', error_description: 'Refresh token revoked' }, { status: 400 })
        }
        return tokenResponse({ refresh_token: 'rotated-refresh-token-0123456789' })
      },
    })
    const endpoint = createTokenEndpoint({ ...CLIENT, fetch: stub.fetch, ...createFakeClock() })
    const token = await endpoint.refresh('live-refresh-token-0123456789')
    expect(token.refresh_token).toBe('rotated-refresh-token-0123456789')
    const request = stub.tokenRequests()[0]
    expect(request?.headers.get('authorization')).toBe(
      `Basic ${btoa(`${CLIENT.clientId}:${CLIENT.clientSecret}`)}`,
    )
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'live-refresh-token-0123456789',
    })
    const error = await endpoint.refresh('dead-refresh-token-0123456789').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyAuthError)
    expect(error).toMatchObject({ oauthError: 'invalid_grant', status: 400, endpoint: 'POST /api/token' })
    expect((error as Error).message).toContain('Refresh token revoked')
    expect((error as Error).message).not.toContain('dead-refresh-token')
    // 4xx is never retried.
    expect(endpoint.requests()).toBe(2)
  })

  it('exchangeCode: confidential without a verifier, PKCE with one; never retried', async () => {
    let fail = true
    const stub = createStubFetch({
      api: () => json({}),
      token: () => {
        if (fail) return json({ error: 'server_error' }, { status: 503 })
        return tokenResponse({ refresh_token: 'new-refresh-token-0123456789' })
      },
    })
    const endpoint = createTokenEndpoint({ ...CLIENT, fetch: stub.fetch, ...createFakeClock() })
    const input = { code: 'the-one-time-code-01234', redirectUri: 'https://lake.example/callback' }
    await expect(endpoint.exchangeCode(input)).rejects.toThrow(/503/)
    expect(stub.tokenRequests()).toHaveLength(1)
    fail = false
    const tokens = await endpoint.exchangeCode(input)
    expect(tokens.refresh_token).toBe('new-refresh-token-0123456789')
    expect(Object.fromEntries(new URLSearchParams(stub.tokenRequests()[1]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
    })
    const publicClient = createTokenEndpoint({ clientId: CLIENT.clientId, fetch: stub.fetch })
    await expect(publicClient.exchangeCode(input)).rejects.toThrow(SpotifyConfigError)
    await publicClient.exchangeCode({ ...input, codeVerifier: 'v'.repeat(43) })
    expect(Object.fromEntries(new URLSearchParams(stub.tokenRequests()[2]?.body))).toMatchObject({
      client_id: CLIENT.clientId,
      code_verifier: 'v'.repeat(43),
    })
  })
})

describe('quota 429 (reason QUOTA_EXCEEDED)', () => {
  it('is never slept through: a long block with quotaExceeded, and the client holds off until then', async () => {
    const clock = createFakeClock()
    const stub = createStubFetch({
      api: () =>
        new Response(
          JSON.stringify({
            error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' },
          }),
          { status: 429, headers: { 'retry-after': '5' } },
        ),
    })
    const client = createSpotifyClient({ ...CLIENT, mode: 'development', fetch: stub.fetch, ...clock })
    const error = await client.request({ endpoint: '/x', schema: OkSchema }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error).toMatchObject({ quotaExceeded: true, retryAfterSeconds: 3600 })
    expect((error as RateLimitedError).retryAt.getTime()).toBe(clock.now() + 3_600_000)
    expect((error as Error).message).toContain('QUOTA_EXCEEDED')
    expect(clock.sleeps).toEqual([])
    // Not even sent: the client knows it is blocked.
    await expect(client.request({ endpoint: '/y', schema: OkSchema })).rejects.toMatchObject({ status: 429 })
    expect(stub.apiRequests()).toHaveLength(1)
  })

  it('an ordinary short 429 is still slept through', async () => {
    const clock = createFakeClock()
    let first = true
    const stub = createStubFetch({
      api: () => {
        if (!first) return json({ ok: true })
        first = false
        return new Response(JSON.stringify({ error: { status: 429, message: 'API rate limit exceeded' } }), {
          status: 429,
          headers: { 'retry-after': '2' },
        })
      },
    })
    const client = createSpotifyClient({ ...CLIENT, mode: 'development', fetch: stub.fetch, ...clock })
    await client.request({ endpoint: '/x', schema: OkSchema })
    expect(clock.sleeps).toEqual([2000])
  })
})
