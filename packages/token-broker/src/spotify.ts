/** @module What the broker asks Spotify (token grants, `GET /me`), and Spotify's errors as data and back. */
import type { AccountId } from '@spotify-lake/schemas'
import {
  createSpotifyClient,
  createTokenEndpoint,
  RateLimitedError,
  SpotifyAuthError,
  SpotifyConfigError,
  SpotifyError,
  SpotifyInvalidResponseError,
  SpotifyTimeoutError,
  SpotifyUnavailableError,
  TOKEN_ENDPOINT,
  type TokenEndpoint,
} from '@spotify-lake/spotify-client'
import type { BrokerError, SpotifyApp } from './types.ts'

/** The token endpoint of `app` (confidential client: the secret goes in HTTP Basic). */
export function tokenEndpointOf(app: SpotifyApp): TokenEndpoint {
  return createTokenEndpoint({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    accountsBaseUrl: app.accountsBaseUrl,
  })
}

/** The account behind a fresh access token: `GET /me`'s `account_id` (the user id when Spotify sends none). */
export async function currentAccount(
  app: SpotifyApp,
  accessToken: string,
): Promise<{ accountId: AccountId; userId: string; displayName?: string | undefined }> {
  const client = createSpotifyClient({
    clientId: app.clientId,
    apiBaseUrl: app.apiBaseUrl,
    userAccessToken: { get: async () => ({ value: accessToken, expiresAt: Date.now() + 60_000 }) },
    // The mode only picks playlist and catalog endpoints: `/me` is the same in both, no probe needed.
    mode: 'development',
    maxRetries: 2,
  })
  const { data } = await client.getCurrentUser()
  return {
    accountId: data.account_id ?? data.id,
    userId: data.id,
    ...(data.display_name ? { displayName: data.display_name } : {}),
  }
}

/** A thrown error as `BrokerError` (the client already scrubbed every token and secret from its text). */
export function brokerErrorOf(error: unknown): BrokerError {
  const message = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error)
  if (error instanceof RateLimitedError) {
    return {
      kind: 'rate_limited',
      message,
      retryAt: error.retryAt.toISOString(),
      quotaExceeded: error.quotaExceeded,
    }
  }
  if (error instanceof SpotifyAuthError) {
    return { kind: 'auth', message, status: error.status, oauthError: error.oauthError }
  }
  if (error instanceof SpotifyTimeoutError) return { kind: 'timeout', message }
  if (error instanceof SpotifyInvalidResponseError)
    return { kind: 'invalid_response', message, path: error.path }
  if (error instanceof SpotifyConfigError) return { kind: 'config', message }
  if (error instanceof SpotifyUnavailableError || error instanceof SpotifyError)
    return { kind: 'unavailable', message }
  if (error instanceof Error && error.name === 'TokenKeyError') return { kind: 'config', message }
  return { kind: 'unavailable', message }
}

/**
 * The Spotify client's error class for a `BrokerError`, as if the consumer had called the token endpoint
 * itself: the pipeline's failure table classifies it the same way (`invalid_grant` is `reauth_required`).
 */
export function spotifyErrorOf(error: BrokerError): SpotifyError {
  const endpoint = TOKEN_ENDPOINT
  switch (error.kind) {
    case 'auth':
      return new SpotifyAuthError(error.message, {
        endpoint,
        status: error.status,
        oauthError: error.oauthError,
      })
    case 'rate_limited': {
      const retryAt = new Date(error.retryAt)
      return new RateLimitedError(error.message, {
        endpoint,
        retryAt,
        retryAfterSeconds: Math.max(0, Math.ceil((retryAt.getTime() - Date.now()) / 1000)),
        quotaExceeded: error.quotaExceeded,
      })
    }
    case 'timeout':
      return new SpotifyTimeoutError(error.message, { endpoint })
    case 'invalid_response':
      return new SpotifyInvalidResponseError(error.message, { endpoint, path: error.path })
    case 'config':
      return new SpotifyConfigError(error.message, { endpoint })
    default:
      return new SpotifyUnavailableError(error.message, { endpoint })
  }
}
