/** @module Access tokens: client credentials (app) and refresh-token (user) grants, cached, one refresh at a time, or taken from a token source (a broker). */
import { TokenResponseSchema } from '@spotify-lake/schemas'
import { SpotifyConfigError, SpotifyInvalidResponseError } from './errors.ts'
import type { Secrets } from './secrets.ts'
import type { Decoded, Exchange, Transport } from './transport.ts'
import type { Runtime } from './types.ts'

/** Which token a call needs: `user` is required for /me/*; the `prefer-*` ones fall back to the other. */
export type TokenPreference = 'user' | 'prefer-user' | 'prefer-app'

export interface Token {
  value: string
  kind: 'app' | 'user'
}

/** An access token and when it stops working (ms since the epoch). */
export interface AccessToken {
  value: string
  expiresAt: number
}

/**
 * Where a client gets an access token when something else holds the credentials (a token broker that
 * refreshes single-flight and persists rotated refresh tokens). The client caches what `get` returns
 * until `expiresAt`; `invalidate` is called with a token Spotify refused (401), before `get` again.
 */
export interface AccessTokenSource {
  get(): Promise<AccessToken>
  invalidate?(token: string): unknown
}

export interface TokenManager {
  /** The token for a call, fetching or refreshing it when needed. */
  token(preference: TokenPreference): Promise<Token>
  /** Drop a token Spotify just refused (401), so the next `token()` fetches a fresh one. */
  invalidate(token: Token): Promise<void>
  hasUser: boolean
}

export interface TokenManagerOptions {
  clientId: string
  clientSecret?: string | undefined
  refreshToken?: string | undefined
  onRefreshTokenRotated?: ((refreshToken: string) => unknown) | undefined
  /** User tokens from a source instead of the refresh-token grant. */
  userSource?: AccessTokenSource | undefined
  /** App tokens from a source instead of the client-credentials grant. */
  appSource?: AccessTokenSource | undefined
  accountsBaseUrl: string
  transport: Transport
  runtime: Runtime
  secrets: Secrets
  onRefreshed: (rotated: boolean) => void
  /** Refresh this long before `expires_in` runs out, so a token never dies mid-request. */
  expirySkewMs?: number
}

interface CachedToken {
  value: string
  expiresAt: number
}

export const TOKEN_ENDPOINT = 'POST /api/token'

export function createTokenManager({
  clientId,
  clientSecret,
  refreshToken,
  onRefreshTokenRotated,
  userSource,
  appSource,
  accountsBaseUrl,
  transport,
  runtime,
  secrets,
  onRefreshed,
  expirySkewMs = 60_000,
}: TokenManagerOptions): TokenManager {
  const hasApp = appSource !== undefined || (clientSecret !== undefined && clientSecret !== '')
  const hasUser = userSource !== undefined || (refreshToken !== undefined && refreshToken !== '')
  const grantsItself = (!appSource && hasApp) || (!userSource && hasUser)
  if (grantsItself && !clientId) throw new SpotifyConfigError('clientId is required')
  secrets.add(clientSecret)
  secrets.add(refreshToken)
  let currentRefreshToken = refreshToken
  const sources: Record<Token['kind'], AccessTokenSource | undefined> = { app: appSource, user: userSource }
  const cached: Record<Token['kind'], CachedToken | undefined> = { app: undefined, user: undefined }
  const inFlight: Record<Token['kind'], Promise<CachedToken> | undefined> = {
    app: undefined,
    user: undefined,
  }

  const fromSource = async (source: AccessTokenSource): Promise<CachedToken> => {
    const token = await source.get()
    secrets.add(token.value)
    // The source already keeps a margin; a little more here covers the time a request takes.
    return { value: token.value, expiresAt: token.expiresAt - Math.min(expirySkewMs, 5_000) }
  }

  const fetchToken = async (kind: Token['kind']): Promise<CachedToken> => {
    const source = sources[kind]
    if (source) return fromSource(source)
    const form =
      kind === 'app'
        ? new URLSearchParams({ grant_type: 'client_credentials' })
        : new URLSearchParams({ grant_type: 'refresh_token', refresh_token: currentRefreshToken ?? '' })
    const headers = tokenRequestHeaders({ clientId, clientSecret, form, secrets })
    const requestedAt = runtime.now()
    const token = await transport.send({
      kind: 'token',
      method: 'POST',
      url: `${accountsBaseUrl}/api/token`,
      endpoint: TOKEN_ENDPOINT,
      headers: async () => headers,
      body: form.toString(),
      decode: decodeTokenResponse,
    })
    secrets.add(token.access_token)
    secrets.add(token.refresh_token)
    const rotated =
      kind === 'user' && token.refresh_token !== undefined && token.refresh_token !== currentRefreshToken
    onRefreshed(rotated)
    if (rotated && token.refresh_token) {
      currentRefreshToken = token.refresh_token
      await onRefreshTokenRotated?.(token.refresh_token)
    }
    // The skew never eats more than half a short-lived token's life, or every call would refresh.
    const lifetimeMs = token.expires_in * 1000
    return {
      value: token.access_token,
      expiresAt: requestedAt + lifetimeMs - Math.min(expirySkewMs, lifetimeMs / 2),
    }
  }

  const get = async (kind: Token['kind']): Promise<Token> => {
    const hit = cached[kind]
    if (hit && runtime.now() < hit.expiresAt) return { value: hit.value, kind }
    // One refresh at a time: concurrent callers share the request already on its way.
    inFlight[kind] ??= fetchToken(kind).finally(() => {
      inFlight[kind] = undefined
    })
    const fresh = await inFlight[kind]
    cached[kind] = fresh
    return { value: fresh.value, kind }
  }

  if (!hasApp && !hasUser) {
    throw new SpotifyConfigError(
      'either clientSecret (client credentials) or refreshToken (user) is required',
    )
  }

  return {
    hasUser,
    token(preference) {
      if (preference === 'user' && !hasUser) {
        return Promise.reject(new SpotifyConfigError('this endpoint needs a user token: pass refreshToken'))
      }
      if (preference === 'prefer-app') return get(hasApp ? 'app' : 'user')
      return get(hasUser ? 'user' : 'app')
    },
    async invalidate(token) {
      if (cached[token.kind]?.value === token.value) cached[token.kind] = undefined
      // The source may hold the same token for other consumers: tell it Spotify refused this one first.
      await sources[token.kind]?.invalidate?.(token.value)
    },
  }
}

/**
 * Confidential clients authenticate with HTTP Basic; PKCE (public) clients have no secret and send
 * `client_id` in the form instead.
 */
export function tokenRequestHeaders({
  clientId,
  clientSecret,
  form,
  secrets,
}: {
  clientId: string
  clientSecret?: string | undefined
  form: URLSearchParams
  secrets: Secrets
}): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (clientSecret) {
    const basic = btoa(`${clientId}:${clientSecret}`)
    secrets.add(basic)
    headers.authorization = `Basic ${basic}`
  } else {
    form.set('client_id', clientId)
  }
  return headers
}

/** Parse a token response; never put its body in an error: it may hold a token. */
export function decodeTokenResponse(
  exchange: Exchange,
): Decoded<ReturnType<typeof TokenResponseSchema.parse>> {
  let json: unknown
  try {
    json = JSON.parse(exchange.body)
  } catch {
    const error = new SpotifyInvalidResponseError(`${TOKEN_ENDPOINT}: response is not JSON`, {
      endpoint: TOKEN_ENDPOINT,
      status: exchange.status,
      path: '',
    })
    return { ok: false, retry: true, error }
  }
  const result = TokenResponseSchema.safeParse(json)
  if (result.success) return { ok: true, value: result.data }
  const issue = result.error.issues[0]
  const path = issue?.path.join('.') ?? ''
  const error = new SpotifyInvalidResponseError(
    `${TOKEN_ENDPOINT}: unexpected token response at \`${path}\`: ${issue?.message ?? 'invalid'}`,
    { endpoint: TOKEN_ENDPOINT, status: exchange.status, path },
  )
  return { ok: false, retry: false, error }
}
