/** @module One-time user authorisation: PKCE pair, authorize URL (loopback redirect) and code exchange. */
import { type TokenResponse, TokenResponseSchema } from '@spotify-lake/schemas'
import { createAccounting } from './accounting.ts'
import { decodeTokenResponse, TOKEN_ENDPOINT, tokenRequestHeaders } from './auth.ts'
import { SpotifyConfigError } from './errors.ts'
import { createLimiter } from './limiter.ts'
import { createSecrets } from './secrets.ts'
import { createTransport } from './transport.ts'
import { type FetchLike, realRuntime } from './types.ts'

export interface PkcePair {
  /** Keep it secret until the code exchange. */
  codeVerifier: string
  codeChallenge: string
  codeChallengeMethod: 'S256'
}

const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'

/** RFC 7636 pair: a 64-character random verifier and its base64url SHA-256 challenge (Web Crypto). */
export async function createPkcePair({ length = 64 }: { length?: number } = {}): Promise<PkcePair> {
  if (length < 43 || length > 128) throw new SpotifyConfigError('PKCE verifier length must be 43..128')
  const random = crypto.getRandomValues(new Uint8Array(length))
  // 66 symbols do not divide 256; the slight bias is irrelevant at 64 chars of entropy.
  const codeVerifier = Array.from(random, (byte) => VERIFIER_ALPHABET[byte % VERIFIER_ALPHABET.length]).join(
    '',
  )
  return { codeVerifier, codeChallenge: await pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' }
}

/** base64url(SHA-256(verifier)) without padding. */
export async function pkceChallenge(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/**
 * Spotify only accepts loopback redirects as IP literals since Nov 2025: `http://127.0.0.1:PORT/...`
 * (or `[::1]`). Throws a `SpotifyConfigError` that says what to use instead.
 */
export function assertLoopbackRedirect(redirectUri: string): URL {
  let url: URL
  try {
    url = new URL(redirectUri)
  } catch {
    throw new SpotifyConfigError(`redirectUri is not a URL: ${redirectUri}`)
  }
  if (url.hostname === 'localhost') {
    throw new SpotifyConfigError(
      `redirectUri uses localhost, which Spotify rejects since Nov 2025: use http://127.0.0.1:${url.port || 'PORT'}${url.pathname}`,
    )
  }
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]')) {
    throw new SpotifyConfigError(
      `redirectUri must be a loopback URL like http://127.0.0.1:PORT/callback, got ${url.origin}`,
    )
  }
  if (url.port === '')
    throw new SpotifyConfigError('redirectUri needs an explicit port, e.g. http://127.0.0.1:8888/callback')
  return url
}

export interface AuthorizeUrlOptions {
  clientId: string
  redirectUri: string
  scopes: readonly string[]
  /** Random value checked on the callback against CSRF. */
  state: string
  codeChallenge: string
  accountsBaseUrl?: string
}

/** The URL to open in a browser for the Authorization Code + PKCE flow. */
export function buildAuthorizeUrl({
  clientId,
  redirectUri,
  scopes,
  state,
  codeChallenge,
  accountsBaseUrl = 'https://accounts.spotify.com',
}: AuthorizeUrlOptions): string {
  if (!clientId) throw new SpotifyConfigError('clientId is required')
  if (!state) throw new SpotifyConfigError('state is required (protects the callback against CSRF)')
  assertLoopbackRedirect(redirectUri)
  const url = new URL('/authorize', accountsBaseUrl)
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge_method: 'S256',
    code_challenge: codeChallenge,
    state,
    scope: scopes.join(' '),
  }).toString()
  return url.toString()
}

export interface ExchangeCodeOptions {
  clientId: string
  /** Omit for a public (PKCE-only) client. */
  clientSecret?: string
  code: string
  redirectUri: string
  codeVerifier: string
  accountsBaseUrl?: string
  fetch?: FetchLike
  timeoutMs?: number
}

/** Trade the callback's `code` for tokens; `refresh_token` is what the pipeline keeps. */
export async function exchangeAuthorizationCode({
  clientId,
  clientSecret,
  code,
  redirectUri,
  codeVerifier,
  accountsBaseUrl = 'https://accounts.spotify.com',
  fetch = (input, init) => globalThis.fetch(input, init),
  timeoutMs = 10_000,
}: ExchangeCodeOptions): Promise<TokenResponse & { refresh_token: string }> {
  assertLoopbackRedirect(redirectUri)
  if (!code) throw new SpotifyConfigError('code is required')
  const secrets = createSecrets()
  secrets.add(clientSecret)
  secrets.add(code)
  secrets.add(codeVerifier)
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
  })
  const headers = tokenRequestHeaders({ clientId, clientSecret, form, secrets })
  const transport = createTransport({
    fetch,
    runtime: realRuntime,
    limiter: createLimiter({ concurrency: 1, runtime: realRuntime }),
    accounting: createAccounting(),
    secrets,
    timeoutMs,
    // An authorization code works once: never replay it.
    maxRetries: 0,
  })
  const token = await transport.send({
    kind: 'token',
    method: 'POST',
    url: `${accountsBaseUrl}/api/token`,
    endpoint: TOKEN_ENDPOINT,
    headers: async () => headers,
    body: form.toString(),
    decode: decodeTokenResponse,
  })
  const withRefresh = TokenResponseSchema.required({ refresh_token: true }).safeParse(token)
  if (!withRefresh.success)
    throw new SpotifyConfigError(`${TOKEN_ENDPOINT}: the code exchange returned no refresh_token`)
  return withRefresh.data
}
