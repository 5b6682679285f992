/** @module Tests of the fake accounts service over HTTP: grants, rotation, PKCE, rejections, token expiry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { api, basic, FORM, getJson, getToken, postToken } from './helpers.ts'

interface TokenBody {
  access_token: string
  refresh_token?: string
}
const tokenBody = async (res: Promise<Response>) => (await (await res).json()) as TokenBody

const challengeOf = async (verifier: string) =>
  btoa(
    String.fromCharCode(
      ...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    ),
  )
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

describe('fake accounts service', () => {
  let server: RunningFakeSpotify
  let clock = Date.UTC(2026, 0, 1)
  beforeAll(async () => {
    server = await startFakeSpotify({ seed: 'auth', expiresIn: 60, now: () => clock })
  })
  afterAll(() => server.close())

  it('client credentials: Basic auth or body credentials give a Bearer token with expires_in', async () => {
    const viaHeader = await postToken(server.url, { grant_type: 'client_credentials' })
    expect(viaHeader.status).toBe(200)
    const body = (await viaHeader.json()) as TokenBody
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 60 })
    const viaBody = await postToken(
      server.url,
      { grant_type: 'client_credentials', client_id: 'fake-client-id', client_secret: 'fake-client-secret' },
      null,
    )
    expect(viaBody.status).toBe(200)
    const res = await api(server.url, body.access_token, `/tracks/${server.fake.catalog.tracks[0]?.id}`)
    expect(res.status).toBe(200)
    expect(server.fake.requests.at(-1)).toMatchObject({ auth: 'app', status: 200 })
  })

  it('rejects a bad client id or secret with invalid_client, and missing/unknown grant types', async () => {
    const badSecret = await postToken(
      server.url,
      { grant_type: 'client_credentials' },
      basic('fake-client-id', 'nope'),
    )
    expect(badSecret.status).toBe(400)
    expect(await badSecret.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Invalid client secret',
    })
    const badId = await postToken(
      server.url,
      { grant_type: 'client_credentials' },
      basic('who', 'fake-client-secret'),
    )
    expect(await badId.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client' })
    const noCreds = await postToken(server.url, { grant_type: 'client_credentials' }, null)
    expect(noCreds.status).toBe(400)
    const missing = await postToken(server.url, {})
    expect(await missing.json()).toMatchObject({ error: 'unsupported_grant_type' })
    const unknown = await postToken(server.url, { grant_type: 'password' })
    expect(await unknown.json()).toMatchObject({ error: 'unsupported_grant_type' })
    // JSON instead of a form body: Spotify sees no grant_type.
    const json = await fetch(`${server.url}/api/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    })
    expect(json.status).toBe(400)
  })

  it('refresh_token gives a user token; an unknown refresh token is invalid_grant', async () => {
    const res = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: 'fake-refresh-token',
    })
    const body = (await res.json()) as TokenBody
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 60,
      scope: expect.stringContaining('playlist'),
    })
    expect(body).not.toHaveProperty('refresh_token')
    const me = await getJson(server.url, body.access_token, '/me')
    expect(me.body.id).toBe(server.fake.catalog.user.id)
    expect(server.fake.requests.at(-1)).toMatchObject({ auth: 'user', path: '/v1/me' })
    const bad = await postToken(server.url, { grant_type: 'refresh_token', refresh_token: 'stolen' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' })
  })

  it('expired, unknown and missing bearer tokens are 401 with the Spotify error object', async () => {
    const token = await getToken(server.url, 'app')
    const path = `/artists/${server.fake.catalog.artists[0]?.id}`
    expect((await api(server.url, token, path)).status).toBe(200)
    clock += 61_000
    const expired = await getJson(server.url, token, path)
    expect(expired).toMatchObject({
      status: 401,
      body: { error: { status: 401, message: 'The access token expired' } },
    })
    expect(await getJson(server.url, 'made-up', path)).toMatchObject({
      status: 401,
      body: { error: { status: 401, message: 'Invalid access token' } },
    })
    expect((await getJson(server.url, null, path)).body).toEqual({
      error: { status: 401, message: 'No token provided' },
    })
    expect(server.fake.requests.at(-1)).toMatchObject({ auth: 'none', status: 401 })
    const fresh = await getToken(server.url, 'app')
    server.fake.expireTokens()
    expect((await api(server.url, fresh, path)).status).toBe(401)
  })

  it('authorization code with PKCE: /authorize redirects with code and state; the code is single-use', async () => {
    const verifier = 'a-verifier-that-is-long-enough-for-pkce-0123456789'
    const redirect = 'http://127.0.0.1:8976/callback'
    const query = new URLSearchParams({
      client_id: 'fake-client-id',
      response_type: 'code',
      redirect_uri: redirect,
      code_challenge_method: 'S256',
      code_challenge: await challengeOf(verifier),
      state: 'xyz',
      scope: 'playlist-read-private',
    })
    const auth = await fetch(`${server.url}/authorize?${query}`, { redirect: 'manual' })
    expect(auth.status).toBe(302)
    const location = new URL(auth.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(redirect)
    expect(location.searchParams.get('state')).toBe('xyz')
    const code = location.searchParams.get('code') ?? ''
    const exchange = (body: Record<string, string>) =>
      fetch(`${server.url}/api/token`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams(body).toString(),
      })
    const wrong = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: 'fake-client-id',
      code_verifier: 'wrong',
    })
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' })
    const good = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: 'fake-client-id',
      code_verifier: verifier,
    })
    const tokens = (await good.json()) as TokenBody
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'playlist-read-private',
      refresh_token: expect.any(String),
    })
    const again = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: 'fake-client-id',
      code_verifier: verifier,
    })
    expect(again.status).toBe(400)
    // The new refresh token works with client_id only (PKCE public client).
    const refreshed = await exchange({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: 'fake-client-id',
    })
    expect(refreshed.status).toBe(200)
  })

  it('/authorize refuses localhost redirects and unknown clients', async () => {
    const base = { client_id: 'fake-client-id', response_type: 'code' }
    const localhost = await fetch(
      `${server.url}/authorize?${new URLSearchParams({ ...base, redirect_uri: 'http://localhost:8976/callback' })}`,
      { redirect: 'manual' },
    )
    expect(localhost.status).toBe(400)
    expect(await localhost.text()).toContain('Insecure redirect URI')
    const badClient = await fetch(
      `${server.url}/authorize?${new URLSearchParams({ ...base, client_id: 'x', redirect_uri: 'http://127.0.0.1:1/cb' })}`,
      { redirect: 'manual' },
    )
    expect(badClient.status).toBe(400)
  })
})

describe('refresh token rotation', () => {
  let server: RunningFakeSpotify
  beforeAll(async () => {
    server = await startFakeSpotify({ seed: 'rotate', rotateRefreshToken: true, refreshToken: 'rt-0' })
  })
  afterAll(() => server.close())

  it('returns a new refresh token each time and invalidates the old one', async () => {
    const first = await tokenBody(
      postToken(server.url, { grant_type: 'refresh_token', refresh_token: 'rt-0' }),
    )
    expect(first.refresh_token).toEqual(expect.any(String))
    expect(first.refresh_token).not.toBe('rt-0')
    const reused = await postToken(server.url, { grant_type: 'refresh_token', refresh_token: 'rt-0' })
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' })
    const second = await tokenBody(
      postToken(server.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }),
    )
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(server.fake.requests.filter((r) => r.path === '/api/token').map((r) => r.grantType)).toEqual([
      'refresh_token',
      'refresh_token',
      'refresh_token',
    ])
  })
})
