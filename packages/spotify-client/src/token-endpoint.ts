/**
 * @module The accounts service's token endpoint (`POST /api/token`) as three calls: client credentials,
 * refresh, and the authorization-code exchange. Used by the client's own token cache and by anything that
 * keeps tokens elsewhere (a token broker): one place that speaks the grant types and their errors.
 */
import type { TokenResponse } from '@spotify-lake/schemas'
import { createAccounting } from './accounting.ts'
import { decodeTokenResponse, TOKEN_ENDPOINT, tokenRequestHeaders } from './auth.ts'
import { SpotifyConfigError } from './errors.ts'
import { createLimiter } from './limiter.ts'
import { createSecrets, type Secrets } from './secrets.ts'
import { createTransport, type Transport } from './transport.ts'
import { type FetchLike, type Runtime, realRuntime } from './types.ts'

export interface TokenEndpointOptions extends Partial<Runtime> {
  clientId: string
  /** The confidential client's secret (HTTP Basic); omit for a public PKCE client. */
  clientSecret?: string | undefined
  /** Default `https://accounts.spotify.com`. */
  accountsBaseUrl?: string
  fetch?: FetchLike
  /** Per attempt, body included (default 10 000). */
  timeoutMs?: number
  /** Retries of 5xx, network errors and timeouts for the refresh and client-credentials grants (default 2). */
  maxRetries?: number
}

export interface ExchangeCodeInput {
  code: string
  /** Exactly the `redirect_uri` of the authorize request. */
  redirectUri: string
  /** The PKCE verifier; a confidential client (with `clientSecret`) may omit it. */
  codeVerifier?: string | undefined
}

export interface TokenEndpoint {
  /** `grant_type=client_credentials`: an app token (needs `clientSecret`). */
  clientCredentials(): Promise<TokenResponse>
  /**
   * `grant_type=refresh_token`. The answer may carry a new `refresh_token` (rotation: the old one is
   * dead from now on). Throws `SpotifyAuthError` with `oauthError: 'invalid_grant'` for a refresh token
   * that expired (6 months after consent), was revoked or was already used.
   */
  refresh(refreshToken: string): Promise<TokenResponse>
  /** `grant_type=authorization_code`, never retried (a code works once); the answer has `refresh_token`. */
  exchangeCode(input: ExchangeCodeInput): Promise<TokenResponse & { refresh_token: string }>
  /** Requests sent to the token endpoint, retries included. */
  requests(): number
}

/**
 * @param options the app's credentials and where the accounts service is.
 * @returns the three grants; each error is a `SpotifyAuthError` (4xx, with Spotify's OAuth `error` code),
 *   `SpotifyUnavailableError` / `SpotifyTimeoutError` (after retries) or `SpotifyInvalidResponseError`;
 *   messages never hold a token, code or secret.
 * @example
 * const endpoint = createTokenEndpoint({ clientId, clientSecret })
 * const { access_token, refresh_token } = await endpoint.refresh(storedRefreshToken)
 */
export function createTokenEndpoint({
  clientId,
  clientSecret,
  accountsBaseUrl = 'https://accounts.spotify.com',
  fetch = (input, init) => globalThis.fetch(input, init),
  timeoutMs = 10_000,
  maxRetries = 2,
  now = realRuntime.now,
  sleep = realRuntime.sleep,
  random = realRuntime.random,
}: TokenEndpointOptions): TokenEndpoint {
  if (!clientId) throw new SpotifyConfigError('clientId is required')
  if (!URL.canParse(accountsBaseUrl))
    throw new SpotifyConfigError(`accountsBaseUrl is not a URL: ${accountsBaseUrl}`)
  const runtime: Runtime = { now, sleep, random }
  const base = accountsBaseUrl.replace(/\/+$/, '')
  const accounting = createAccounting()
  const transportFor = (retries: number, secrets: Secrets): Transport =>
    createTransport({
      fetch,
      runtime,
      limiter: createLimiter({ concurrency: 1, runtime }),
      accounting,
      secrets,
      timeoutMs,
      maxRetries: retries,
    })

  const post = async (form: URLSearchParams, retries: number, known: (string | undefined)[]) => {
    const secrets = createSecrets()
    secrets.add(clientSecret)
    for (const value of known) secrets.add(value)
    const headers = tokenRequestHeaders({ clientId, clientSecret, form, secrets })
    const token = await transportFor(retries, secrets).send({
      kind: 'token',
      method: 'POST',
      url: `${base}/api/token`,
      endpoint: TOKEN_ENDPOINT,
      headers: async () => headers,
      body: form.toString(),
      decode: decodeTokenResponse,
    })
    return token
  }

  return {
    async clientCredentials() {
      if (!clientSecret) throw new SpotifyConfigError('client credentials need clientSecret')
      return post(new URLSearchParams({ grant_type: 'client_credentials' }), maxRetries, [])
    },
    async refresh(refreshToken) {
      if (!refreshToken) throw new SpotifyConfigError('refreshToken is required')
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken })
      return post(form, maxRetries, [refreshToken])
    },
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      if (!code) throw new SpotifyConfigError('code is required')
      if (!codeVerifier && !clientSecret)
        throw new SpotifyConfigError('the code exchange needs codeVerifier (PKCE) or clientSecret')
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri })
      if (codeVerifier) form.set('code_verifier', codeVerifier)
      // An authorization code works once: never replay it.
      const token = await post(form, 0, [code, codeVerifier])
      if (!token.refresh_token)
        throw new SpotifyConfigError(`${TOKEN_ENDPOINT}: the code exchange returned no refresh_token`)
      return token as TokenResponse & { refresh_token: string }
    },
    requests: () => accounting.snapshot().tokenRequests,
  }
}
