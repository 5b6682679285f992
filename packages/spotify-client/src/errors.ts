/** @module Typed errors of the Spotify client; none of them ever carries a token, secret or header. */
import type { SpotifyExchange } from './types.ts'

export interface SpotifyErrorOptions {
  /** Path template of the call, e.g. `/playlists/{id}/items` (never a URL with credentials). */
  endpoint?: string | undefined
  status?: number | undefined
  cause?: unknown
}

/** Base class: `instanceof SpotifyError` catches everything this package throws on purpose. */
export class SpotifyError extends Error {
  readonly endpoint: string | undefined
  readonly status: number | undefined

  constructor(message: string, { endpoint, status, cause }: SpotifyErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = new.target.name
    this.endpoint = endpoint
    this.status = status
  }
}

/** Bad options or arguments (e.g. a `localhost` redirect URI, a /me call without a user token). */
export class SpotifyConfigError extends SpotifyError {}

export interface AuthErrorOptions extends SpotifyErrorOptions {
  /**
   * The OAuth 2.0 `error` code of a token endpoint refusal (RFC 6749 section 5.2), e.g. `invalid_client`
   * (wrong client id or secret) or `invalid_grant` (refresh token expired, revoked or already used);
   * `undefined` for an API 401 or a body without one.
   */
  oauthError?: string | undefined
}

/** The token endpoint refused us (see `oauthError`), or the API still answered 401 after a fresh token. */
export class SpotifyAuthError extends SpotifyError {
  readonly oauthError: string | undefined

  constructor(message: string, { oauthError, ...rest }: AuthErrorOptions = {}) {
    super(message, rest)
    this.oauthError = oauthError
  }
}

/** 404 from the API. */
export class SpotifyNotFoundError extends SpotifyError {}

/** 403 from the API (e.g. items of a playlist the user neither owns nor collaborates on). */
export class SpotifyForbiddenError extends SpotifyError {}

/** Any other 4xx (400 bad request and friends): a bug in the call, never retried. */
export class SpotifyRequestError extends SpotifyError {}

/** 5xx or network failures that outlived every retry. */
export class SpotifyUnavailableError extends SpotifyError {}

/** Every attempt ran past `timeoutMs`. */
export class SpotifyTimeoutError extends SpotifyError {}

export interface RateLimitedErrorOptions extends SpotifyErrorOptions {
  retryAfterSeconds: number
  retryAt: Date
  /** The 429 said `reason: QUOTA_EXCEEDED`: the developer account's quota, not the 30 s window. */
  quotaExceeded?: boolean | undefined
}

/**
 * 429 with a `Retry-After` longer than the client may sleep (or retries ran out), or any 429 whose body
 * says `reason: QUOTA_EXCEEDED` (the per-developer quota since July 2026: a long block, never slept
 * through). Callers persist `retryAt` and come back later: a Worker cannot sleep for hours.
 */
export class RateLimitedError extends SpotifyError {
  readonly retryAfterSeconds: number
  readonly retryAt: Date
  readonly quotaExceeded: boolean

  constructor(
    message: string,
    { retryAfterSeconds, retryAt, quotaExceeded = false, ...rest }: RateLimitedErrorOptions,
  ) {
    super(message, { ...rest, status: 429 })
    this.retryAfterSeconds = retryAfterSeconds
    this.retryAt = retryAt
    this.quotaExceeded = quotaExceeded
  }
}

/** Spotify's marker of a per-developer quota 429 (`{"error":{"status":429,"reason":"QUOTA_EXCEEDED"}}`). */
export const QUOTA_EXCEEDED = 'QUOTA_EXCEEDED'

/** Whether a 429 body carries `reason: QUOTA_EXCEEDED` (inside `error`, or at the top level). */
export function isQuotaExceeded(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null) return false
    const { error, reason } = parsed as { error?: unknown; reason?: unknown }
    const inner =
      typeof error === 'object' && error !== null ? (error as { reason?: unknown }).reason : undefined
    return inner === QUOTA_EXCEEDED || reason === QUOTA_EXCEEDED
  } catch {
    return false
  }
}

export interface InvalidResponseErrorOptions extends SpotifyErrorOptions {
  /** Path of the first failing value inside the body, e.g. `items.3.track.id` (`''` for unparsable JSON). */
  path: string
  /** The response as received, so the caller can still keep its bytes; absent for token responses. */
  raw?: SpotifyExchange | undefined
}

/** A 2xx whose body is not JSON or does not match the payload schema. */
export class SpotifyInvalidResponseError extends SpotifyError {
  readonly path: string
  readonly raw: SpotifyExchange | undefined

  constructor(message: string, { path, raw, ...rest }: InvalidResponseErrorOptions) {
    super(message, rest)
    this.path = path
    this.raw = raw
  }
}

/** Pick the error class for a final (non-retried) HTTP status of an API call. */
export function errorForStatus(status: number, message: string, endpoint: string): SpotifyError {
  const options = { endpoint, status }
  if (status === 401) return new SpotifyAuthError(message, options)
  if (status === 403) return new SpotifyForbiddenError(message, options)
  if (status === 404) return new SpotifyNotFoundError(message, options)
  if (status >= 500) return new SpotifyUnavailableError(message, options)
  return new SpotifyRequestError(message, options)
}

/** `: <message>` from a Spotify error body (`{error:{message}}` or the token endpoint's OAuth form). */
export function spotifyMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return ''
    const { error, error_description: description } = parsed as {
      error: unknown
      error_description?: unknown
    }
    if (typeof error === 'string') {
      return `: ${error}${typeof description === 'string' ? ` (${description.slice(0, 200)})` : ''}`
    }
    if (
      typeof error === 'object' &&
      error !== null &&
      'message' in error &&
      typeof error.message === 'string'
    ) {
      return `: ${error.message.slice(0, 200)}`
    }
  } catch {
    // Not JSON (an HTML error page from a proxy): the status says enough.
  }
  return ''
}

/** The OAuth `error` code of a token endpoint answer (`{"error":"invalid_grant",...}`), if it has one. */
export function oauthErrorCode(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const { error } = parsed as { error?: unknown }
    // Only the registered code's alphabet (RFC 6749 A.7): nothing else from the body reaches an error.
    return typeof error === 'string' && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(error)
      ? error
      : undefined
  } catch {
    return undefined
  }
}

/**
 * An error as one line for logs and manifests: `Name: message`, at most 500 characters, no stack or cause
 * (a cause could hold a request with its headers).
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return text.slice(0, 500)
}
