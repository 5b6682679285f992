/** @module User authorisation: PKCE pair, authorize URL (PKCE or confidential), redirect rules and code exchange. */
import type { TokenResponse } from '@spotify-lake/schemas'
import { SpotifyConfigError } from './errors.ts'
import { createTokenEndpoint } from './token-endpoint.ts'
import type { FetchLike } from './types.ts'

/**
 * What the pipeline reads as the user: playlists (also private and collaborative) and the user's library
 * and listening (saved tracks, top items, recently played, followed artists). Asked for by `lake auth` and `/connect`.
 */
export const PIPELINE_SCOPES = [
  'playlist-read-private',
  'playlist-read-collaborative',
  'user-library-read',
  'user-top-read',
  'user-read-recently-played',
  'user-follow-read',
] as const

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
  const url = parseRedirect(redirectUri)
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

/**
 * A redirect URI Spotify accepts (since Nov 2025): HTTPS on any host but `localhost`, or a loopback IP
 * literal over plain HTTP with a port (`http://127.0.0.1:PORT/callback`, local tools). Throws a
 * `SpotifyConfigError` that says what to use instead.
 */
export function assertRedirectUri(redirectUri: string): URL {
  const url = parseRedirect(redirectUri)
  if (url.protocol === 'https:' && url.hostname !== 'localhost') return url
  if (url.protocol === 'https:') {
    throw new SpotifyConfigError(
      'redirectUri uses localhost, which Spotify rejects since Nov 2025: use http://127.0.0.1:PORT/callback',
    )
  }
  return assertLoopbackRedirect(redirectUri)
}

function parseRedirect(redirectUri: string): URL {
  try {
    return new URL(redirectUri)
  } catch {
    throw new SpotifyConfigError(`redirectUri is not a URL: ${redirectUri}`)
  }
}

export interface AuthorizeUrlOptions {
  clientId: string
  redirectUri: string
  scopes: readonly string[]
  /** Random value checked on the callback against CSRF. */
  state: string
  /** PKCE (public client); omit for the confidential flow, whose code exchange sends the client secret. */
  codeChallenge?: string | undefined
  /** Ask the user again even when the app is already approved (reconnecting an account). */
  showDialog?: boolean
  accountsBaseUrl?: string
}

/**
 * The URL to open in a browser for the Authorization Code flow: with `codeChallenge` the PKCE variant
 * (a public client such as `lake auth` without a secret), without it the confidential one (a server
 * that keeps the client secret). The redirect must pass `assertRedirectUri`.
 */
export function buildAuthorizeUrl({
  clientId,
  redirectUri,
  scopes,
  state,
  codeChallenge,
  showDialog,
  accountsBaseUrl = 'https://accounts.spotify.com',
}: AuthorizeUrlOptions): string {
  if (!clientId) throw new SpotifyConfigError('clientId is required')
  if (!state) throw new SpotifyConfigError('state is required (protects the callback against CSRF)')
  assertRedirectUri(redirectUri)
  const url = new URL('/authorize', accountsBaseUrl)
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
  })
  if (codeChallenge) {
    params.set('code_challenge_method', 'S256')
    params.set('code_challenge', codeChallenge)
  }
  params.set('state', state)
  params.set('scope', scopes.join(' '))
  if (showDialog) params.set('show_dialog', 'true')
  url.search = params.toString()
  return url.toString()
}

export interface ExchangeCodeOptions {
  clientId: string
  /** The confidential client's secret; omit for a public (PKCE-only) client. */
  clientSecret?: string | undefined
  code: string
  redirectUri: string
  /** The PKCE verifier; may be omitted with `clientSecret` (the confidential flow). */
  codeVerifier?: string | undefined
  accountsBaseUrl?: string
  fetch?: FetchLike
  timeoutMs?: number
}

/** Trade the callback's `code` for tokens; `refresh_token` is what the pipeline keeps. Never retried. */
export async function exchangeAuthorizationCode({
  clientId,
  clientSecret,
  code,
  redirectUri,
  codeVerifier,
  accountsBaseUrl = 'https://accounts.spotify.com',
  fetch,
  timeoutMs = 10_000,
}: ExchangeCodeOptions): Promise<TokenResponse & { refresh_token: string }> {
  assertRedirectUri(redirectUri)
  const endpoint = createTokenEndpoint({
    clientId,
    clientSecret,
    accountsBaseUrl,
    timeoutMs,
    ...(fetch ? { fetch } : {}),
  })
  return endpoint.exchangeCode({ code, redirectUri, codeVerifier })
}
