/** @module The fake accounts service's state: options, issued grants (access, refresh, codes), bearer checks, new consents. */

export interface FakeAuthOptions {
  clientId?: string
  clientSecret?: string
  /**
   * The refresh token valid from the start for the first consenting user (as if the user consented
   * through `lake auth` with PKCE before); each further consenting user gets `<refreshToken>-<n>`.
   */
  refreshToken?: string
  /** When those initial refresh tokens were consented to (ms since the epoch; default the fake's start). */
  consentedAt?: number
  /** Scope granted to the initial user tokens (space-separated); endpoints that need a scope answer 403 without it. */
  scope?: string
  /** Lifetime of access tokens in seconds (Spotify: 3600). */
  expiresIn?: number
  /**
   * Refresh-token rotation, as Spotify does since mid-2026: `'pkce'` (default) rotates tokens issued to
   * public clients (Authorization Code + PKCE, and the initial tokens): every refresh returns a new one and
   * revokes the old; `true` rotates every token, `false` none.
   */
  rotateRefreshToken?: boolean | 'pkce'
  /** How long a refresh token lives after the user's consent; refreshing does not extend it (default 6 months). */
  refreshTokenLifetimeMonths?: number
  /** When set, /authorize accepts only these redirect URIs. */
  redirectUris?: string[]
}

export type ResolvedAuthOptions = Required<
  Omit<FakeAuthOptions, 'redirectUris' | 'consentedAt' | 'rotateRefreshToken'>
> & {
  rotateRefreshToken: boolean | 'pkce'
  consentedAt?: number
  redirectUris?: string[]
}

export const resolveAuthOptions = ({
  clientId = 'fake-client-id',
  clientSecret = 'fake-client-secret',
  refreshToken = 'fake-refresh-token',
  consentedAt,
  // What the pipeline asks for (PIPELINE_SCOPES) and what a consent in Spotify's own UI adds.
  scope = 'playlist-read-private playlist-read-collaborative user-read-private user-read-email user-library-read user-top-read user-read-recently-played user-follow-read',
  expiresIn = 3600,
  rotateRefreshToken = 'pkce',
  refreshTokenLifetimeMonths = 6,
  redirectUris,
}: FakeAuthOptions): ResolvedAuthOptions => ({
  clientId,
  clientSecret,
  refreshToken,
  scope,
  expiresIn,
  rotateRefreshToken,
  refreshTokenLifetimeMonths,
  ...(consentedAt === undefined ? {} : { consentedAt }),
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

/** A refresh token's grant: whose, what scope, when the user consented, and whether it is single-use. */
export interface RefreshGrant {
  userId: string
  scope: string
  /** ms since the epoch; the token dies `refreshTokenLifetimeMonths` later, refreshed or not. */
  consentedAt: number
  /** Issued to a public client (PKCE): each refresh returns a new token and revokes this one. */
  rotates: boolean
}

export interface TokenStore {
  access: Map<string, AccessGrant>
  refresh: Map<string, RefreshGrant>
  /** Refresh tokens that were rotated away or revoked: `invalid_grant` "Refresh token revoked". */
  revoked: Set<string>
  codes: Map<string, PendingCode>
  /** Authorization codes already exchanged (a second exchange is `invalid_grant`). */
  usedCodes: Set<string>
}

/** The initial refresh token of each consenting user: the first gets `refreshToken` itself. */
export const initialRefreshToken = (refreshToken: string, index: number): string =>
  index === 0 ? refreshToken : `${refreshToken}-${index + 1}`

export const createTokenStore = ({
  options,
  userIds,
  now,
}: {
  options: ResolvedAuthOptions
  userIds: readonly string[]
  now: number
}): TokenStore => ({
  access: new Map(),
  refresh: new Map(
    userIds.map((userId, i) => [
      initialRefreshToken(options.refreshToken, i),
      {
        userId,
        scope: options.scope,
        consentedAt: options.consentedAt ?? now,
        rotates: options.rotateRefreshToken !== false,
      },
    ]),
  ),
  revoked: new Set(),
  codes: new Map(),
  usedCodes: new Set(),
})

/** When a refresh token consented to at `consentedAt` stops working (calendar months, UTC). */
export const refreshTokenExpiry = (consentedAt: number, months: number): number => {
  const at = new Date(consentedAt)
  at.setUTCMonth(at.getUTCMonth() + months)
  return at.getTime()
}

/** A fresh random token with `prefix` (as opaque as Spotify's). */
export const newToken = (prefix: string): string => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`

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

/** Who is signed in to the fake's accounts service "in the browser", and whether they deny the next consent. */
export interface FakeSession {
  userId: string
  deny: boolean
}

/** A new consent of `userId` right now, as if through /authorize and a code exchange: its refresh token. */
export const mintRefreshToken = ({
  store,
  options,
  userId,
  now,
  flow = 'pkce',
}: {
  store: TokenStore
  options: ResolvedAuthOptions
  userId: string
  now: number
  flow?: 'pkce' | 'confidential'
}): { refreshToken: string; consentedAt: number } => {
  const refreshToken = newToken('fake-rt-')
  const rotates =
    options.rotateRefreshToken === true || (options.rotateRefreshToken === 'pkce' && flow === 'pkce')
  store.refresh.set(refreshToken, { userId, scope: options.scope, consentedAt: now, rotates })
  return { refreshToken, consentedAt: now }
}
