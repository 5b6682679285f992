/** @module Unit tests of token handling: caching, expiry, single flight, 401 refresh, rotation, token choice, redaction. */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createSpotifyClient,
  SpotifyAuthError,
  SpotifyConfigError,
  SpotifyError,
  SpotifyUnavailableError,
} from '../../src/index.ts'
import {
  CLIENT,
  createFakeClock,
  createStubFetch,
  json,
  type StubHandler,
  type StubRequest,
  spotifyError,
  tokenResponse,
} from './support/stub-fetch.ts'

const OkSchema = z.object({ ok: z.literal(true) })
const ok: StubHandler = () => json({ ok: true })
const bearer = (request: StubRequest | undefined) =>
  request?.headers.get('authorization')?.replace('Bearer ', '')
const form = (request: StubRequest | undefined) =>
  Object.fromEntries(new URLSearchParams(request?.body ?? ''))

function setup({
  api = ok,
  token,
  refreshToken,
  onRefreshTokenRotated,
  clientSecret = CLIENT.clientSecret,
}: {
  api?: StubHandler
  token?: StubHandler
  refreshToken?: string
  onRefreshTokenRotated?: (token: string) => void
  clientSecret?: string
} = {}) {
  const clock = createFakeClock()
  const stub = createStubFetch({ api, ...(token ? { token } : {}) })
  const client = createSpotifyClient({
    ...CLIENT,
    clientSecret,
    refreshToken,
    onRefreshTokenRotated,
    mode: 'development',
    fetch: stub.fetch,
    ...clock,
  })
  const get = (token: 'user' | 'prefer-user' | 'prefer-app' = 'prefer-app') =>
    client.request({ endpoint: '/things', schema: OkSchema, token })
  return { clock, stub, client, get }
}

describe('client credentials', () => {
  it('fetches one app token with Basic auth and reuses it until shortly before expiry', async () => {
    const { stub, get, clock, client } = setup()
    await get()
    await get()
    expect(stub.tokenRequests()).toHaveLength(1)
    const tokenRequest = stub.tokenRequests()[0]
    expect(tokenRequest?.headers.get('authorization')).toBe(
      `Basic ${btoa(`${CLIENT.clientId}:${CLIENT.clientSecret}`)}`,
    )
    expect(form(tokenRequest)).toEqual({ grant_type: 'client_credentials' })
    const first = bearer(stub.apiRequests()[0])
    expect(bearer(stub.apiRequests()[1])).toBe(first)

    clock.advance(3540_000 - 1) // one minute of skew before the 3600 s expiry
    await get()
    expect(stub.tokenRequests()).toHaveLength(1)
    clock.advance(1)
    await get()
    expect(stub.tokenRequests()).toHaveLength(2)
    expect(bearer(stub.apiRequests()[3])).not.toBe(first)
    expect(client.stats()).toMatchObject({ tokenRequests: 2, tokenRefreshes: 2, calls: 4 })
  })

  it('keeps a short-lived token for half its life instead of refreshing on every call', async () => {
    const { stub, get, clock } = setup({ token: () => tokenResponse({ expires_in: 30 }) })
    await get()
    clock.advance(14_999)
    await get()
    expect(stub.tokenRequests()).toHaveLength(1)
    clock.advance(1)
    await get()
    expect(stub.tokenRequests()).toHaveLength(2)
  })

  it('shares one token request between concurrent calls', async () => {
    const { stub, get } = setup()
    await Promise.all([get(), get(), get(), get(), get()])
    expect(stub.tokenRequests()).toHaveLength(1)
    expect(stub.apiRequests()).toHaveLength(5)
  })

  it('on a 401 drops the token, fetches a new one and retries exactly once', async () => {
    let calls = 0
    const { stub, get, client } = setup({
      api: () => (++calls === 1 ? spotifyError(401, 'The access token expired') : json({ ok: true })),
    })
    await expect(get()).resolves.toMatchObject({ data: { ok: true } })
    expect(stub.tokenRequests()).toHaveLength(2)
    const [first, second] = stub.apiRequests()
    expect(bearer(second)).not.toBe(bearer(first))
    expect(client.stats()).toMatchObject({ calls: 2, retries: 1, tokenRefreshes: 2 })
  })

  it('throws SpotifyAuthError when the API still answers 401 with a fresh token', async () => {
    const { stub, get } = setup({ api: () => spotifyError(401, 'Invalid access token') })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyAuthError)
    expect((error as SpotifyAuthError).oauthError).toBeUndefined()
    expect(stub.apiRequests()).toHaveLength(2)
  })

  it('reports a refused token request as SpotifyAuthError without retrying it', async () => {
    const { stub, get } = setup({
      token: () =>
        json({ error: 'invalid_client', error_description: 'Invalid client secret' }, { status: 400 }),
    })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyAuthError)
    expect((error as Error).message).toContain('invalid_client (Invalid client secret)')
    expect((error as SpotifyAuthError).oauthError).toBe('invalid_client')
    expect(stub.tokenRequests()).toHaveLength(1)
    expect(stub.apiRequests()).toHaveLength(0)
  })

  it('retries a token endpoint 5xx like any other', async () => {
    let calls = 0
    const { stub, get } = setup({ token: () => (++calls < 3 ? spotifyError(503, 'down') : tokenResponse()) })
    await get()
    expect(stub.tokenRequests()).toHaveLength(3)
  })
})

describe('user token', () => {
  it('uses the user token for user and prefer-user calls and the app token for prefer-app', async () => {
    const { stub, get } = setup({ refreshToken: 'user-refresh-token-0123456789' })
    await get('user')
    await get('prefer-user')
    await get('prefer-app')
    const grants = stub.tokenRequests().map((r) => form(r).grant_type)
    expect(grants).toEqual(['refresh_token', 'client_credentials'])
    expect(form(stub.tokenRequests()[0]).refresh_token).toBe('user-refresh-token-0123456789')
    const [user, preferUser, app] = stub.apiRequests().map(bearer)
    expect(preferUser).toBe(user)
    expect(app).not.toBe(user)
  })

  it('falls back to the app token for prefer-user calls without a refresh token', async () => {
    const { stub, get } = setup()
    await get('prefer-user')
    expect(form(stub.tokenRequests()[0]).grant_type).toBe('client_credentials')
  })

  it('rejects user-only calls without a refresh token before sending anything', async () => {
    const { stub, get } = setup()
    await expect(get('user')).rejects.toBeInstanceOf(SpotifyConfigError)
    expect(stub.requests).toHaveLength(0)
  })

  it('reports a rotated refresh token and refreshes with it from then on', async () => {
    const rotated: string[] = []
    let refreshes = 0
    const { stub, get, clock } = setup({
      refreshToken: 'refresh-token-original-000',
      onRefreshTokenRotated: (token) => rotated.push(token),
      token: () => tokenResponse({ refresh_token: `refresh-token-rotated-${++refreshes}00` }),
    })
    await get('user')
    expect(rotated).toEqual(['refresh-token-rotated-100'])
    clock.advance(3600_000)
    await get('user')
    expect(form(stub.tokenRequests()[1]).refresh_token).toBe('refresh-token-rotated-100')
    expect(rotated).toEqual(['refresh-token-rotated-100', 'refresh-token-rotated-200'])
  })

  it('does not report a rotation when Spotify sends the same refresh token back', async () => {
    const rotated: string[] = []
    const { get } = setup({
      refreshToken: 'refresh-token-same-0000',
      onRefreshTokenRotated: (token) => rotated.push(token),
      token: () => tokenResponse({ refresh_token: 'refresh-token-same-0000' }),
    })
    await get('user')
    expect(rotated).toEqual([])
  })

  it('sends client_id in the form, without Basic auth, for a public PKCE client', async () => {
    const { stub, get } = setup({ clientSecret: '', refreshToken: 'user-refresh-token-0123456789' })
    await get('prefer-app')
    const request = stub.tokenRequests()[0]
    expect(request?.headers.get('authorization')).toBeNull()
    expect(form(request)).toMatchObject({ grant_type: 'refresh_token', client_id: CLIENT.clientId })
  })

  it('refuses a client with neither a secret nor a refresh token', () => {
    expect(() => createSpotifyClient({ clientId: 'x', mode: 'development' })).toThrow(SpotifyConfigError)
  })
})

describe('secrets never leak', () => {
  const refreshToken = 'user-refresh-token-secret-value-42'
  const everything = (error: unknown): string => {
    const parts = [inspect(error, { depth: 10 }), JSON.stringify(error), String(error)]
    let cause = (error as Error).cause
    while (cause) {
      parts.push(inspect(cause, { depth: 10 }), String(cause))
      cause = (cause as Error).cause
    }
    return parts.join('\n')
  }

  it('scrubs tokens and secrets that a server or a network error echoes back', async () => {
    let accessToken = ''
    const echo = createSpotifyClient({
      ...CLIENT,
      refreshToken,
      mode: 'development',
      ...createFakeClock(),
      maxRetries: 0,
      fetch: async (url, init) => {
        const headers = new Headers(init.headers)
        if (url.endsWith('/api/token')) {
          const response = tokenResponse()
          accessToken = ((await response.clone().json()) as { access_token: string }).access_token
          return response
        }
        const echoed = `${headers.get('authorization')} ${CLIENT.clientSecret} ${refreshToken}`
        if (url.includes('network')) throw new TypeError(`socket hang up: ${echoed}`)
        return spotifyError(400, `bad request from ${echoed}`)
      },
    })
    const errors = await Promise.all([
      echo.request({ endpoint: '/network', schema: OkSchema, token: 'user' }).catch((e: unknown) => e),
      echo.request({ endpoint: '/echo', schema: OkSchema, token: 'user' }).catch((e: unknown) => e),
    ])
    expect(errors[0]).toBeInstanceOf(SpotifyUnavailableError)
    expect(errors[1]).toBeInstanceOf(SpotifyError)
    expect(accessToken).not.toBe('')
    for (const error of errors) {
      const text = everything(error)
      expect(text).toContain('[redacted]')
      for (const secret of [
        accessToken,
        CLIENT.clientSecret,
        refreshToken,
        btoa(`${CLIENT.clientId}:${CLIENT.clientSecret}`),
      ]) {
        expect(text).not.toContain(secret)
      }
    }
  })

  it('never puts a token response body into an error', async () => {
    const { get } = setup({
      token: () => json({ access_token: 'leaky-access-token-123456', expires_in: 'soon' }),
    })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyError)
    expect(everything(error)).not.toContain('leaky-access-token-123456')
  })
})
