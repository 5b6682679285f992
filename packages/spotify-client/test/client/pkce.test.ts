/** @module Unit tests of the one-time authorisation helpers: PKCE pair, authorize URL, code exchange. */
import { describe, expect, it } from 'vitest'
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  pkceChallenge,
  SpotifyAuthError,
  SpotifyConfigError,
} from '../../src/index.ts'
import { createStubFetch, json, spotifyError, tokenResponse } from './support/stub-fetch.ts'

const redirectUri = 'http://127.0.0.1:8888/callback'

describe('PKCE', () => {
  it('derives the RFC 7636 appendix B challenge', async () => {
    await expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('creates a fresh 64-character verifier from the unreserved alphabet with its challenge', async () => {
    const a = await createPkcePair()
    const b = await createPkcePair()
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{64}$/)
    expect(a.codeVerifier).not.toBe(b.codeVerifier)
    expect(a.codeChallenge).toBe(await pkceChallenge(a.codeVerifier))
    expect(a.codeChallengeMethod).toBe('S256')
    await expect(createPkcePair({ length: 42 })).rejects.toBeInstanceOf(SpotifyConfigError)
  })
})

describe('buildAuthorizeUrl', () => {
  it('builds the authorize URL with every parameter Spotify needs', () => {
    const url = new URL(
      buildAuthorizeUrl({
        clientId: 'cid',
        redirectUri,
        scopes: ['playlist-read-private', 'user-read-recently-played'],
        state: 'st4te',
        codeChallenge: 'chal',
      }),
    )
    expect(url.origin + url.pathname).toBe('https://accounts.spotify.com/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge_method: 'S256',
      code_challenge: 'chal',
      state: 'st4te',
      scope: 'playlist-read-private user-read-recently-played',
    })
  })

  it.each([
    ['http://localhost:8888/callback', /localhost.*use http:\/\/127\.0\.0\.1:8888\/callback/],
    ['http://example.com/callback', /loopback/],
    ['https://localhost/callback', /localhost/],
    ['http://192.168.1.2:8888/callback', /loopback/],
    ['http://127.0.0.1/callback', /explicit port/],
    ['not a url', /not a URL/],
  ])('rejects the redirect %s with a clear error', (uri, message) => {
    const build = () =>
      buildAuthorizeUrl({ clientId: 'c', redirectUri: uri, scopes: [], state: 's', codeChallenge: 'x' })
    expect(build).toThrow(SpotifyConfigError)
    expect(build).toThrow(message)
  })

  it('accepts the IPv6 loopback', () => {
    expect(
      buildAuthorizeUrl({
        clientId: 'c',
        redirectUri: 'http://[::1]:9000/cb',
        scopes: [],
        state: 's',
        codeChallenge: 'x',
      }),
    ).toContain('redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A9000%2Fcb')
  })
})

describe('exchangeAuthorizationCode', () => {
  it('posts the code, verifier and redirect and returns the tokens', async () => {
    const stub = createStubFetch({
      api: () => json({}),
      token: () =>
        tokenResponse({ refresh_token: 'new-refresh-token-123456', scope: 'playlist-read-private' }),
    })
    const token = await exchangeAuthorizationCode({
      clientId: 'cid',
      code: 'the-code-0001',
      redirectUri,
      codeVerifier: 'v'.repeat(64),
      accountsBaseUrl: 'https://accounts.test',
      fetch: stub.fetch,
    })
    expect(token.refresh_token).toBe('new-refresh-token-123456')
    const request = stub.tokenRequests()[0]
    expect(request?.method).toBe('POST')
    expect(request?.headers.get('authorization')).toBeNull()
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code-0001',
      redirect_uri: redirectUri,
      code_verifier: 'v'.repeat(64),
      client_id: 'cid',
    })
  })

  it('never replays a code: a 5xx is reported, not retried, and the code is not in the message', async () => {
    const stub = createStubFetch({
      api: () => json({}),
      token: () => spotifyError(503, 'code the-code-0002 failed'),
    })
    const error = await exchangeAuthorizationCode({
      clientId: 'cid',
      clientSecret: 'client-secret-abcdefgh',
      code: 'the-code-0002',
      redirectUri,
      codeVerifier: 'v'.repeat(64),
      fetch: stub.fetch,
    }).catch((e: unknown) => e)
    expect(stub.tokenRequests()).toHaveLength(1)
    expect((error as Error).message).not.toContain('the-code-0002')
    expect((error as Error).message).toContain('[redacted]')
  })

  it('reports an invalid code as SpotifyAuthError', async () => {
    const stub = createStubFetch({
      api: () => json({}),
      token: () =>
        json({ error: 'invalid_grant', error_description: 'Invalid authorization code' }, { status: 400 }),
    })
    const exchange = exchangeAuthorizationCode({
      clientId: 'cid',
      code: 'bad-code-000',
      redirectUri,
      codeVerifier: 'v'.repeat(64),
      fetch: stub.fetch,
    })
    await expect(exchange).rejects.toBeInstanceOf(SpotifyAuthError)
    await expect(exchange).rejects.toThrow('invalid_grant (Invalid authorization code)')
  })

  it('refuses a localhost redirect before sending anything', async () => {
    const stub = createStubFetch({ api: () => json({}) })
    await expect(
      exchangeAuthorizationCode({
        clientId: 'cid',
        code: 'c0de-0000',
        redirectUri: 'http://localhost:8888/callback',
        codeVerifier: 'v'.repeat(64),
        fetch: stub.fetch,
      }),
    ).rejects.toBeInstanceOf(SpotifyConfigError)
    expect(stub.requests).toHaveLength(0)
  })
})
