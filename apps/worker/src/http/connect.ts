/**
 * @module Consent on the Worker: `/connect` (operator only: the API token, or Cloudflare Access) starts the
 * Authorization Code flow as a confidential client; Spotify sends the browser back to `/callback` on the
 * Worker's own HTTPS address, which finishes it in the token broker and shows what happened.
 */
import { assertRedirectUri, buildAuthorizeUrl, PIPELINE_SCOPES } from '@spotify-lake/spotify-client'
import { type Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { brokerFor } from '../accounts/broker.ts'
import { log } from '../log.ts'
import { operatorOf } from './auth.ts'
import { escapeHtml, htmlPage } from './page.ts'
import type { AppEnv } from './types.ts'

/** The browser's half of the binding: a random nonce in a cookie; the broker keeps only its SHA-256. */
export const CONNECT_COOKIE = 'lake_connect'

const encoder = new TextEncoder()

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

function randomToken(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** Where Spotify sends the browser back: `<PUBLIC_URL or this request's origin>/callback`. */
function redirectUriOf(c: Context<AppEnv>): string {
  const base = c.get('extract').PUBLIC_URL ?? new URL(c.req.url).origin
  return `${base.replace(/\/+$/, '')}/callback`
}

const tokenForm = (problem?: string) =>
  `${problem ? `<p><strong>${escapeHtml(problem)}</strong></p>` : ''}` +
  '<p>Connecting a Spotify account to spotify-lake needs the operator: enter the API token ' +
  '(<code>REFRESH_API_TOKEN</code>), then approve at Spotify with the account to connect.</p>' +
  '<form method="post" action="/connect"><label>API token <input type="password" name="token" ' +
  'autocomplete="off" required></label> <button type="submit">Connect with Spotify</button></form>'

/** Opens a round trip: a nonce cookie for this browser, a state in the broker, and off to Spotify. */
async function startConsent(c: Context<AppEnv>): Promise<Response> {
  const config = c.get('extract')
  const redirectUri = redirectUriOf(c)
  try {
    assertRedirectUri(redirectUri)
  } catch (error) {
    return htmlPage(c, {
      status: 400,
      title: 'Cannot connect from this address',
      body: `<p>${escapeHtml((error as Error).message)}</p><p>Spotify sends the browser back only to an HTTPS address (or a loopback <code>http://127.0.0.1:PORT</code>): open this page over HTTPS, or set <code>PUBLIC_URL</code>. Register <code>${escapeHtml(redirectUri)}</code> as a redirect URI of the Spotify app.</p>`,
    })
  }
  const broker = brokerFor(c.env, config)
  const nonce = randomToken()
  const { state } = await broker.registry.startConnect({
    app: broker.app,
    nonceHash: await sha256Hex(nonce),
    redirectUri,
  })
  setCookie(c, CONNECT_COOKIE, nonce, {
    path: '/callback',
    httpOnly: true,
    // Lax: the cookie rides along on Spotify's top-level redirect back, never on cross-site subrequests.
    sameSite: 'Lax',
    secure: new URL(redirectUri).protocol === 'https:',
    maxAge: 600,
  })
  const url = buildAuthorizeUrl({
    clientId: config.SPOTIFY_CLIENT_ID,
    redirectUri,
    scopes: PIPELINE_SCOPES,
    state,
    // Reconnecting asks again, so the user can pick another account or renew the consent.
    showDialog: true,
    accountsBaseUrl: config.SPOTIFY_ACCOUNTS_BASE_URL,
  })
  log.info('accounts.connect-started', { redirectUri })
  return c.redirect(url, 302)
}

export const connectRoutes = new Hono<AppEnv>()
  .get('/connect', async (c) => {
    if (await operatorOf(c)) return startConsent(c)
    return htmlPage(c, { title: 'Connect a Spotify account', body: tokenForm() })
  })
  .post('/connect', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const token = typeof form.token === 'string' ? form.token : undefined
    if (await operatorOf(c, token)) return startConsent(c)
    return htmlPage(c, {
      status: 401,
      title: 'Connect a Spotify account',
      body: tokenForm('That is not the API token.'),
    })
  })
  .get('/callback', async (c) => {
    const query = c.req.query()
    const nonce = getCookie(c, CONNECT_COOKIE)
    // Used up whatever happens: a second try starts again at /connect.
    setCookie(c, CONNECT_COOKIE, '', { path: '/callback', httpOnly: true, sameSite: 'Lax', maxAge: 0 })
    const broker = brokerFor(c.env, c.get('extract'))
    const result = await broker.registry.finishConnect({
      app: broker.app,
      state: query.state ?? '',
      nonceHash: nonce ? await sha256Hex(nonce) : '',
      code: query.code,
      error: query.error,
    })
    if (!result.ok) {
      log.warn('accounts.connect-failed', { reason: result.reason, error: result.message })
      return htmlPage(c, {
        status: 400,
        title: 'The Spotify account was not connected',
        body: `<p>${escapeHtml(result.message)}</p><p>Reason: <code>${escapeHtml(result.reason)}</code></p><p><a href="/connect">Start again</a></p>`,
      })
    }
    const { account } = result
    const until = new Date(new Date(account.consentedAt).getTime())
    until.setUTCMonth(until.getUTCMonth() + 6)
    log.info('accounts.connected', { accountId: account.accountId })
    return htmlPage(c, {
      title: 'Spotify account connected',
      body:
        `<p>Connected <strong>${escapeHtml(account.displayName ?? account.userId)}</strong> ` +
        `(account <code>${escapeHtml(account.accountId)}</code>). Runs extract it from the next run on.</p>` +
        `<p>Spotify ends this consent on <strong>${until.toISOString().slice(0, 10)}</strong>, six months from now: ` +
        'from five months on, health and every run summary say how many days are left; reconnect here before then.</p>',
    })
  })
