/** @module The fake accounts service: POST /api/token (client credentials, refresh, PKCE code), GET /authorize, bearer checks. */
import { Hono } from 'hono'
import { oauthErrorResponse } from './http-errors.ts'

export interface FakeAuthOptions {
  clientId?: string
  clientSecret?: string
  /** A refresh token that is valid from the start (as if the user consented earlier). */
  refreshToken?: string
  /** Scope granted to user tokens. */
  scope?: string
  /** Lifetime of access tokens in seconds (Spotify: 3600). */
  expiresIn?: number
  /** Return a new refresh token on every refresh and invalidate the old one. */
  rotateRefreshToken?: boolean
  /** When set, /authorize accepts only these redirect URIs. */
  redirectUris?: string[]
}

export type ResolvedAuthOptions = Required<Omit<FakeAuthOptions, 'redirectUris'>> & {
  redirectUris?: string[]
}

export const resolveAuthOptions = ({
  clientId = 'fake-client-id',
  clientSecret = 'fake-client-secret',
  refreshToken = 'fake-refresh-token',
  scope = 'playlist-read-private playlist-read-collaborative user-read-private user-read-email',
  expiresIn = 3600,
  rotateRefreshToken = false,
  redirectUris,
}: FakeAuthOptions): ResolvedAuthOptions => ({
  clientId,
  clientSecret,
  refreshToken,
  scope,
  expiresIn,
  rotateRefreshToken,
  ...(redirectUris ? { redirectUris } : {}),
})

export interface AccessGrant {
  kind: 'app' | 'user'
  userId?: string
  scope: string
  expiresAt: number
}

interface PendingCode {
  userId: string
  scope: string
  redirectUri: string
  codeChallenge?: string
}

export interface TokenStore {
  access: Map<string, AccessGrant>
  refresh: Map<string, { userId: string; scope: string }>
  codes: Map<string, PendingCode>
}

export const createTokenStore = ({
  options,
  userId,
}: {
  options: ResolvedAuthOptions
  userId: string
}): TokenStore => ({
  access: new Map(),
  refresh: new Map([[options.refreshToken, { userId, scope: options.scope }]]),
  codes: new Map(),
})

/** Decodes a body as UTF-8 (workerd warns when .text() is called on a form body). */
export const readText = async (request: Request): Promise<string> =>
  new TextDecoder().decode(await request.arrayBuffer())

const newToken = (prefix: string): string => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`

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

/** Result of checking `Authorization: Bearer ...` on an API call. */
export type BearerCheck = { ok: true; grant: AccessGrant } | { ok: false; message: string }

export const checkBearer = ({
  store,
  header,
  now,
}: {
  store: TokenStore
  header: string | undefined
  now: number
}): BearerCheck => {
  if (!header?.startsWith('Bearer ')) return { ok: false, message: 'No token provided' }
  const grant = store.access.get(header.slice(7).trim())
  if (!grant) return { ok: false, message: 'Invalid access token' }
  if (grant.expiresAt <= now) return { ok: false, message: 'The access token expired' }
  return { ok: true, grant }
}

export const createAuthRoutes = ({
  options,
  store,
  now,
  userId,
}: {
  options: ResolvedAuthOptions
  store: TokenStore
  now: () => number
  userId: string
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
      const known = store.refresh.get(body.refresh_token ?? '')
      if (!known) return oauthErrorResponse({ error: 'invalid_grant', description: 'Invalid refresh token' })
      const access = issue({ kind: 'user', userId: known.userId, scope: known.scope })
      if (!options.rotateRefreshToken) return bearer(access, { scope: known.scope })
      const rotated = newToken('fake-rt-')
      store.refresh.delete(body.refresh_token ?? '')
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
      const refresh = newToken('fake-rt-')
      store.refresh.set(refresh, { userId: pending.userId, scope: pending.scope })
      const access = issue({ kind: 'user', userId: pending.userId, scope: pending.scope })
      return bearer(access, { scope: pending.scope, refresh_token: refresh })
    }
    return oauthErrorResponse({
      error: 'unsupported_grant_type',
      description: `grant_type parameter is invalid`,
    })
  })

  // Consent is automatic: the fake user always approves. Errors are plain text pages, as on accounts.spotify.com.
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
    if (url.hostname === 'localhost') return c.text('INVALID_CLIENT: Insecure redirect URI', 400)
    if (options.redirectUris && !options.redirectUris.includes(redirect)) {
      return c.text('INVALID_CLIENT: Invalid redirect URI', 400)
    }
    if (q.response_type !== 'code') return c.text('unsupported_response_type', 400)
    if (q.code_challenge !== undefined && q.code_challenge_method !== 'S256') {
      return c.text('INVALID_REQUEST: code_challenge_method must be S256', 400)
    }
    const code = newToken('fake-code-')
    store.codes.set(code, {
      userId,
      scope: q.scope ?? options.scope,
      redirectUri: redirect,
      ...(q.code_challenge === undefined ? {} : { codeChallenge: q.code_challenge }),
    })
    url.searchParams.set('code', code)
    if (q.state !== undefined) url.searchParams.set('state', q.state)
    return c.redirect(url.toString(), 302)
  })
  return app
}
