/**
 * @module Consent on the Worker: /connect (operator only) to the fake's /authorize to /callback, as a browser
 * goes; a forged, replayed or other-browser state, a denied consent, a plain-HTTP address; Cloudflare Access.
 */
import { createExecutionContext } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { fakeAdmin, type TestEnv, testEnv } from './support/helpers.ts'

const { development, secrets } = inject('spotify')
const access = inject('access')
const WORKER = 'https://lake.example'
const bearer = { authorization: `Bearer ${secrets.apiToken}` }

async function call(t: TestEnv, url: string, init: RequestInit = {}) {
  const res = await worker.fetch(
    new Request(url, { redirect: 'manual', ...init }),
    t.env,
    createExecutionContext(),
  )
  const text = await res.text()
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret)
  return { res, status: res.status, text, location: res.headers.get('location') ?? '' }
}

/** The cookie a browser would keep from a `Set-Cookie`, as `name=value`. */
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''

/** A browser at Spotify: follows the authorize URL to the redirect back (code or error, and state). */
async function atSpotify(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location') ?? '')
}

/** /connect as the operator (Bearer), then Spotify: the callback URL and this browser's cookie. */
async function startConsent(t: TestEnv) {
  const start = await call(t, `${WORKER}/connect`, { headers: bearer })
  expect(start.status).toBe(302)
  return { back: await atSpotify(start.location), cookie: cookieOf(start.res), start }
}

const listAccounts = async (t: TestEnv) =>
  JSON.parse((await call(t, `${WORKER}/accounts`, { headers: bearer })).text) as {
    accounts: { accountId: string; status: string; source: string; daysLeft: number }[]
  }

beforeAll(() => fakeAdmin().reset())
afterAll(() => fakeAdmin().reset())

describe('GET /connect', () => {
  it('asks a browser for the API token (no cookie, no redirect) and refuses a wrong one', async () => {
    const t = testEnv()
    const page = await call(t, `${WORKER}/connect`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('<form method="post" action="/connect">')
    expect(page.res.headers.get('set-cookie')).toBeNull()
    expect(page.res.headers.get('x-frame-options')).toBe('DENY')
    expect(page.res.headers.get('cache-control')).toBe('no-store')
    const wrong = await call(t, `${WORKER}/connect`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'not-the-api-token-0123' }),
    })
    expect(wrong.status).toBe(401)
    expect(wrong.text).toContain('That is not the API token.')
  })

  it('sends the operator to Spotify: confidential Authorization Code flow, a cookie bound to the state', async () => {
    const t = testEnv()
    const { start } = await startConsent(t)
    const url = new URL(start.location)
    expect(`${url.origin}${url.pathname}`).toBe(`${development.url}/authorize`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: secrets.clientId,
      response_type: 'code',
      redirect_uri: `${WORKER}/callback`,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: expect.stringContaining('playlist-read-private'),
      show_dialog: 'true',
    })
    const cookie = start.res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(
      /^lake_connect=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/callback; HttpOnly; Secure; SameSite=Lax$/,
    )
    // The form's POST with the token starts it too.
    const posted = await call(t, `${WORKER}/connect`, {
      method: 'POST',
      body: new URLSearchParams({ token: secrets.apiToken }),
    })
    expect(posted.status).toBe(302)
    expect(posted.location.startsWith(`${development.url}/authorize?`)).toBe(true)
  })

  it('refuses a plain-HTTP address: Spotify sends the browser back only over HTTPS (or to loopback)', async () => {
    const page = await call(testEnv(), 'http://lake.example/connect', { headers: bearer })
    expect(page.status).toBe(400)
    expect(page.text).toContain('Cannot connect from this address')
    expect(page.res.headers.get('set-cookie')).toBeNull()
  })
})

describe('GET /callback', () => {
  it('finishes the round trip: the account is connected by its account_id, with six months of consent', async () => {
    const t = testEnv()
    const before = (await fakeAdmin().tokenRequests()).length
    const { back, cookie } = await startConsent(t)
    expect(back.origin + back.pathname).toBe(`${WORKER}/callback`)
    const done = await call(t, back.href, { headers: { cookie } })
    expect(done.status).toBe(200)
    expect(done.text).toContain('Spotify account connected')
    expect(done.text).toContain(development.user.accountId)
    // The cookie is used up with the state.
    expect(done.res.headers.get('set-cookie')).toMatch(/^lake_connect=; Max-Age=0/)
    const grants = (await fakeAdmin().tokenRequests()).slice(before)
    expect(grants.map((r) => [r.grantType, r.status])).toEqual([['authorization_code', 200]])
    const { accounts } = await listAccounts(t)
    expect(accounts).toEqual([
      expect.objectContaining({
        accountId: development.user.accountId,
        status: 'connected',
        source: 'connect',
      }),
    ])
    expect(accounts[0]?.daysLeft).toBeGreaterThanOrEqual(180)

    // Replayed: the state was single-use.
    const replay = await call(t, back.href, { headers: { cookie } })
    expect(replay.status).toBe(400)
    expect(replay.text).toContain('unknown_state')
    expect((await fakeAdmin().tokenRequests()).slice(before)).toHaveLength(1)
  })

  it('refuses a forged state, a state from another browser, and shows a denied consent as it is', async () => {
    const t = testEnv()
    const before = (await fakeAdmin().tokenRequests()).length
    const { back, cookie } = await startConsent(t)

    const forged = new URL(back)
    forged.searchParams.set('state', 'a-state-nobody-issued')
    const byForger = await call(t, forged.href, { headers: { cookie } })
    expect(byForger.status).toBe(400)
    expect(byForger.text).toContain('unknown_state')

    // Another browser (its own cookie, or none) comes back with this state: refused, and the state is spent.
    const other = await call(t, back.href, { headers: { cookie: 'lake_connect=another-browsers-nonce' } })
    expect(other.status).toBe(400)
    expect(other.text).toContain('state_mismatch')
    expect((await call(t, back.href, { headers: { cookie } })).text).toContain('unknown_state')

    await fakeAdmin().signIn(development.user.id, true)
    const denied = await startConsent(t)
    expect(denied.back.searchParams.get('error')).toBe('access_denied')
    const page = await call(t, denied.back.href, { headers: { cookie: denied.cookie } })
    expect(page.status).toBe(400)
    expect(page.text).toContain('Spotify answered the consent with error &quot;access_denied&quot;')
    // Not one code exchange: nothing reached the token endpoint.
    expect((await fakeAdmin().tokenRequests()).slice(before)).toEqual([])
  })
})

describe('Cloudflare Access', () => {
  const b64url = (bytes: Uint8Array | string) =>
    btoa(typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')

  async function assertion(claims: Record<string, unknown>): Promise<string> {
    const key = await crypto.subtle.importKey(
      'jwk',
      access.privateJwk,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const head = b64url(JSON.stringify({ alg: 'RS256', kid: access.kid, typ: 'JWT' }))
    const body = b64url(JSON.stringify(claims))
    const sig = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      key,
      new TextEncoder().encode(`${head}.${body}`),
    )
    return `${head}.${body}.${b64url(new Uint8Array(sig))}`
  }

  it('a valid Access assertion lets the operator start a consent; a wrong audience or an expired one does not', async () => {
    const t = testEnv({ ACCESS_TEAM_DOMAIN: access.teamDomain, ACCESS_AUD: access.aud })
    const now = Math.floor(Date.now() / 1000)
    const good = {
      aud: [access.aud],
      iss: access.teamDomain,
      exp: now + 600,
      nbf: now - 10,
      email: 'op@lake.example',
    }
    const ok = await call(t, `${WORKER}/connect`, {
      headers: { 'cf-access-jwt-assertion': await assertion(good) },
    })
    expect(ok.status).toBe(302)
    for (const bad of [
      { ...good, aud: ['another-application-aud-0000'] },
      { ...good, exp: now - 3600 },
      { ...good, iss: 'https://another-team.cloudflareaccess.com' },
    ]) {
      const refused = await call(t, `${WORKER}/connect`, {
        headers: { 'cf-access-jwt-assertion': await assertion(bad) },
      })
      expect(refused.status).toBe(200)
      expect(refused.text).toContain('<form')
    }
    const tampered = `${(await assertion(good)).slice(0, -4)}AAAA`
    expect(
      (await call(t, `${WORKER}/connect`, { headers: { 'cf-access-jwt-assertion': tampered } })).status,
    ).toBe(200)
    // Without Access configured, an assertion counts for nothing.
    const plain = await call(testEnv(), `${WORKER}/connect`, {
      headers: { 'cf-access-jwt-assertion': await assertion(good) },
    })
    expect(plain.status).toBe(200)
  })
})
