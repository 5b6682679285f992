/** @module Tests of the fake accounts service over HTTP: grants, rotation, PKCE, rejections, token expiry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { api, basic, FORM, getJson, getToken, postToken } from './support/helpers.ts'

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
      refresh_token: server.fake.consent({ flow: 'confidential' }).refreshToken,
    })
    const body = (await res.json()) as TokenBody
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 60,
      scope: expect.stringContaining('playlist'),
    })
    // A confidential client's token does not rotate.
    expect(body).not.toHaveProperty('refresh_token')
    const me = await getJson(server.url, body.access_token, '/me')
    expect(me.body.id).toBe(server.fake.catalog.user.id)
    expect(me.body.account_id).toBe(server.fake.catalog.user.accountId)
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

  it('/authorize refuses localhost and plain-HTTP non-loopback redirects, and unknown clients', async () => {
    const base = { client_id: 'fake-client-id', response_type: 'code' }
    for (const redirect of ['http://localhost:8976/callback', 'http://example.com/callback']) {
      const refused = await fetch(
        `${server.url}/authorize?${new URLSearchParams({ ...base, redirect_uri: redirect })}`,
        { redirect: 'manual' },
      )
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain('Insecure redirect URI')
    }
    const https = await fetch(
      `${server.url}/authorize?${new URLSearchParams({ ...base, redirect_uri: 'https://lake.example/callback' })}`,
      { redirect: 'manual' },
    )
    expect(https.status).toBe(302)
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

  it('is on by default for PKCE-issued tokens (the initial one too), off for confidential ones', async () => {
    const fake = await startFakeSpotify({ seed: 'rotate-default' })
    try {
      const first = await tokenBody(
        postToken(fake.url, { grant_type: 'refresh_token', refresh_token: 'fake-refresh-token' }),
      )
      expect(first.refresh_token).toMatch(/^fake-rt-/)
      const reused = await postToken(fake.url, {
        grant_type: 'refresh_token',
        refresh_token: 'fake-refresh-token',
      })
      expect(await reused.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Refresh token revoked',
      })
      const pkce = fake.fake.consent({ flow: 'pkce' }).refreshToken
      expect(
        (await tokenBody(postToken(fake.url, { grant_type: 'refresh_token', refresh_token: pkce })))
          .refresh_token,
      ).toEqual(expect.any(String))
      const confidential = fake.fake.consent({ flow: 'confidential' }).refreshToken
      for (let i = 0; i < 2; i++) {
        const again = await tokenBody(
          postToken(fake.url, { grant_type: 'refresh_token', refresh_token: confidential }),
        )
        expect(again.access_token).toEqual(expect.any(String))
        expect(again.refresh_token).toBeUndefined()
      }
    } finally {
      await fake.close()
    }
  })

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

describe('six-month consent lifetime', () => {
  it('a refresh token dies six months after consent, refreshed or not, with invalid_grant', async () => {
    const start = Date.UTC(2026, 0, 15, 12)
    const fake = await startFakeSpotify({ seed: 'expiry', now: () => start })
    try {
      let token = 'fake-refresh-token'
      const refresh = () => postToken(fake.url, { grant_type: 'refresh_token', refresh_token: token })
      // Refreshing every month rotates the token but never moves the consent date.
      for (let month = 0; month < 5; month++) {
        const body = await tokenBody(refresh())
        token = body.refresh_token ?? ''
        fake.fake.advanceClock(30 * 86_400_000)
      }
      // 150 days on: still 1 day short of 2026-07-15 12:00.
      fake.fake.advanceClock(30 * 86_400_000)
      expect(new Date(fake.fake.now()).toISOString()).toBe('2026-07-14T12:00:00.000Z')
      const lastDay = await tokenBody(refresh())
      token = lastDay.refresh_token ?? ''
      fake.fake.advanceClock(86_400_000)
      const expired = await refresh()
      expect(expired.status).toBe(400)
      expect(await expired.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Refresh token expired',
      })
      // A new consent starts a new six months; reset puts the clock back.
      const fresh = fake.fake.consent().refreshToken
      expect((await postToken(fake.url, { grant_type: 'refresh_token', refresh_token: fresh })).status).toBe(
        200,
      )
      fake.fake.reset()
      expect(fake.fake.now()).toBe(start)
    } finally {
      await fake.close()
    }
  })

  it('the admin API moves the clock and mints consents', async () => {
    const fake = await startFakeSpotify({ seed: 'admin-clock', now: () => Date.UTC(2026, 5, 1) })
    try {
      const moved = await fetch(`${fake.url}/__fake/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 3_600_000 }),
      })
      expect(await moved.json()).toEqual({ now: '2026-06-01T01:00:00.000Z' })
      const minted = (await (
        await fetch(`${fake.url}/__fake/consent`, { method: 'POST', body: '{}' })
      ).json()) as { refresh_token: string; consented_at: string }
      expect(minted.consented_at).toBe('2026-06-01T01:00:00.000Z')
      const used = await postToken(fake.url, {
        grant_type: 'refresh_token',
        refresh_token: minted.refresh_token,
      })
      expect(used.status).toBe(200)
      const bad = await fetch(`${fake.url}/__fake/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: -1 }),
      })
      expect(bad.status).toBe(400)
    } finally {
      await fake.close()
    }
  })
})

describe('several consenting users', () => {
  it('/authorize consents as the signed-in user, or denies; each user has its own account_id', async () => {
    const fake = await startFakeSpotify({ seed: 'users', users: 2, rotateRefreshToken: false })
    try {
      const [first, second] = fake.fake.catalog.accounts
      expect(second?.id).toBe('fake-user-2')
      expect(first?.accountId).not.toBe(second?.accountId)
      const redirect = 'https://lake.example/callback'
      const authorize = async () => {
        const res = await fetch(
          `${fake.url}/authorize?${new URLSearchParams({ client_id: 'fake-client-id', response_type: 'code', redirect_uri: redirect, state: 's1' })}`,
          { redirect: 'manual' },
        )
        return new URL(res.headers.get('location') ?? '')
      }
      const codeFor = async () => {
        const code = (await authorize()).searchParams.get('code') ?? ''
        return tokenBody(
          postToken(fake.url, { grant_type: 'authorization_code', code, redirect_uri: redirect }),
        )
      }
      await fetch(`${fake.url}/__fake/session`, {
        method: 'POST',
        body: JSON.stringify({ userId: 'fake-user-2' }),
      })
      const tokens = await codeFor()
      const me = await getJson(fake.url, tokens.access_token, '/me')
      expect(me.body).toMatchObject({ id: 'fake-user-2', account_id: second?.accountId })
      // A user's listing holds their own playlists and the others' owned public ones.
      const listed = await getJson(fake.url, tokens.access_token, '/me/playlists?limit=50')
      const ids = (listed.body.items as { id: string }[]).map((p) => p.id).sort()
      expect(ids).toEqual(
        fake.fake.catalog.playlists
          .filter((p) => p.listedBy.includes('fake-user-2'))
          .map((p) => p.id)
          .sort(),
      )
      const shared = fake.fake.catalog.playlists.filter((p) => p.listedBy.length === 2 && !p.editorial)
      expect(shared.length).toBeGreaterThan(0)
      fake.fake.signIn('fake-user', { deny: true })
      const denied = await authorize()
      expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 's1' })
      // Only the next consent is denied.
      expect((await authorize()).searchParams.get('code')).toMatch(/^fake-code-/)
    } finally {
      await fake.close()
    }
  })
})
