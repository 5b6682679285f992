/** @module The fake accounts service: POST /api/token (client credentials, refresh, PKCE code), GET /authorize. */
import { Hono } from 'hono'
import { oauthErrorResponse } from './http-errors.ts'
import {
  type AccessGrant,
  type FakeSession,
  newToken,
  type ResolvedAuthOptions,
  refreshTokenExpiry,
  type TokenStore,
} from './token-store.ts'

/** Decodes a body as UTF-8 (workerd warns when .text() is called on a form body). */
export const readText = async (request: Request): Promise<string> =>
  new TextDecoder().decode(await request.arrayBuffer())

const base64Url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

const pkceChallenge = async (verifier: string): Promise<string> =>
  base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))

/** Client credentials from the Basic header, else from the body. */
const readClient = (header: string | undefined, body: Record<string, string>) => {
  if (header?.startsWith('Basic ')) {
    try {
      const [id, ...rest] = atob(header.slice(6).trim()).split(':')
      return { clientId: id ?? '', clientSecret: rest.join(':') as string | undefined }
    } catch {
      return { clientId: '', clientSecret: undefined }
    }
  }
  return { clientId: body.client_id ?? '', clientSecret: body.client_secret }
}

export const createAuthRoutes = ({
  options,
  store,
  now,
  session,
}: {
  options: ResolvedAuthOptions
  store: TokenStore
  now: () => number
  session: FakeSession
}): Hono => {
  const app = new Hono()
  const issue = (grant: Omit<AccessGrant, 'expiresAt'>): string => {
    const token = newToken('fake-at-')
    store.access.set(token, { ...grant, expiresAt: now() + options.expiresIn * 1000 })
    return token
  }

  app.post('/api/token', async (c) => {
    const type = c.req.header('content-type') ?? ''
    const body = type.includes('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(await readText(c.req.raw)))
      : {}
    const grantType = body.grant_type
    if (!grantType) {
      return oauthErrorResponse({
        error: 'unsupported_grant_type',
        description: 'grant_type parameter is missing',
      })
    }
    const client = readClient(c.req.header('authorization'), body)
    if (client.clientId !== options.clientId)
      return oauthErrorResponse({ error: 'invalid_client', description: 'Invalid client' })
    // PKCE public clients send only client_id; a secret that is sent must be right.
    const hasSecret = client.clientSecret !== undefined && client.clientSecret !== ''
    if (hasSecret && client.clientSecret !== options.clientSecret) {
      return oauthErrorResponse({ error: 'invalid_client', description: 'Invalid client secret' })
    }
    const bearer = (access: string, extra: Record<string, unknown> = {}) =>
      c.json({ access_token: access, token_type: 'Bearer', expires_in: options.expiresIn, ...extra })

    if (grantType === 'client_credentials') {
      if (!hasSecret)
        return oauthErrorResponse({ error: 'invalid_client', description: 'Invalid client secret' })
      return bearer(issue({ kind: 'app', scope: '' }))
    }
    if (grantType === 'refresh_token') {
      const presented = body.refresh_token ?? ''
      const known = store.refresh.get(presented)
      if (!known) {
        const description = store.revoked.has(presented) ? 'Refresh token revoked' : 'Invalid refresh token'
        return oauthErrorResponse({ error: 'invalid_grant', description })
      }
      // Six months after consent, whatever happened since: refreshing never extends it.
      if (now() >= refreshTokenExpiry(known.consentedAt, options.refreshTokenLifetimeMonths)) {
        return oauthErrorResponse({ error: 'invalid_grant', description: 'Refresh token expired' })
      }
      const access = issue({ kind: 'user', userId: known.userId, scope: known.scope })
      if (!known.rotates) return bearer(access, { scope: known.scope })
      const rotated = newToken('fake-rt-')
      store.refresh.delete(presented)
      store.revoked.add(presented)
      store.refresh.set(rotated, known)
      return bearer(access, { scope: known.scope, refresh_token: rotated })
    }
    if (grantType === 'authorization_code') {
      const pending = store.codes.get(body.code ?? '')
      if (!pending)
        return oauthErrorResponse({ error: 'invalid_grant', description: 'Invalid authorization code' })
      if (pending.redirectUri !== body.redirect_uri) {
        return oauthErrorResponse({ error: 'invalid_grant', description: 'Invalid redirect URI' })
      }
      if (pending.codeChallenge !== undefined) {
        const verifier = body.code_verifier ?? ''
        if (!verifier || (await pkceChallenge(verifier)) !== pending.codeChallenge) {
          return oauthErrorResponse({ error: 'invalid_grant', description: 'code_verifier was incorrect' })
        }
      } else if (!hasSecret) {
        return oauthErrorResponse({ error: 'invalid_client', description: 'Invalid client secret' })
      }
      store.codes.delete(body.code ?? '')
      store.usedCodes.add(body.code ?? '')
      const refresh = newToken('fake-rt-')
      const rotates =
        options.rotateRefreshToken === true ||
        (options.rotateRefreshToken === 'pkce' && pending.codeChallenge !== undefined)
      store.refresh.set(refresh, {
        userId: pending.userId,
        scope: pending.scope,
        consentedAt: now(),
        rotates,
      })
      const access = issue({ kind: 'user', userId: pending.userId, scope: pending.scope })
      return bearer(access, { scope: pending.scope, refresh_token: refresh })
    }
    return oauthErrorResponse({
      error: 'unsupported_grant_type',
      description: `grant_type parameter is invalid`,
    })
  })

  // Consent is automatic: the signed-in user approves (or denies, when told to). Errors are plain text
  // pages, as on accounts.spotify.com; a denial goes back to the redirect URI as `error=access_denied`.
  app.get('/authorize', (c) => {
    const q = c.req.query()
    if (q.client_id !== options.clientId) return c.text('INVALID_CLIENT: Invalid client', 400)
    const redirect = q.redirect_uri ?? ''
    let url: URL
    try {
      url = new URL(redirect)
    } catch {
      return c.text('INVALID_CLIENT: Invalid redirect URI', 400)
    }
    // Since Nov 2025: HTTPS, or plain HTTP to a loopback IP literal only; never `localhost`.
    const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]'
    if (url.hostname === 'localhost' || (url.protocol !== 'https:' && !loopback)) {
      return c.text('INVALID_CLIENT: Insecure redirect URI', 400)
    }
    if (options.redirectUris && !options.redirectUris.includes(redirect)) {
      return c.text('INVALID_CLIENT: Invalid redirect URI', 400)
    }
    if (q.response_type !== 'code') return c.text('unsupported_response_type', 400)
    if (q.code_challenge !== undefined && q.code_challenge_method !== 'S256') {
      return c.text('INVALID_REQUEST: code_challenge_method must be S256', 400)
    }
    if (session.deny) {
      session.deny = false
      url.searchParams.set('error', 'access_denied')
    } else {
      const code = newToken('fake-code-')
      store.codes.set(code, {
        userId: session.userId,
        scope: q.scope ?? options.scope,
        redirectUri: redirect,
        ...(q.code_challenge === undefined ? {} : { codeChallenge: q.code_challenge }),
      })
      url.searchParams.set('code', code)
    }
    if (q.state !== undefined) url.searchParams.set('state', q.state)
    return c.redirect(url.toString(), 302)
  })
  return app
}
