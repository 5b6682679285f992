/**
 * @module Why work failed and what that means for it: every error the Spotify client and the lake store
 * raise, classified in one table (permanent, transient or defer; one unit or the whole run; the reason
 * shown to the user and what to do). The first matching row wins; to classify a new error, add a row.
 */
import { S3Error } from '@spotify-lake/lake-store'
import {
  describeError,
  RateLimitedError,
  SpotifyAuthError,
  SpotifyConfigError,
  SpotifyError,
  SpotifyForbiddenError,
  SpotifyInvalidResponseError,
  SpotifyNotFoundError,
  SpotifyRequestError,
  SpotifyTimeoutError,
  SpotifyUnavailableError,
} from '@spotify-lake/spotify-client'

// The retry timing that goes with a transient failure, for callers that import only this entry (Node tests).
export { retryDelay } from './backoff.ts'
export { describeError }

/**
 * `permanent`: waiting will not help; record it and stop. `transient`: may pass by waiting; retried
 * with backoff. `defer`: the service named the instant it lets us in again; wait until then.
 */
export type FailureKind = 'permanent' | 'transient' | 'defer'

/**
 * `account`: no unit of that account can succeed (its consent expired or was revoked): its units fail
 * at once, and the run too when no other account is left to extract. `run`: no unit of the run can
 * succeed either (credentials, configuration, S3 access): the run fails at once.
 */
export type FailureScope = 'unit' | 'account' | 'run'

export interface FailureRule {
  /** Stable code shown to the user (manifest `failure.reason`, unit `reason`, API answers, logs). */
  reason: string
  /** The error the row is for, in words (the table in the README). */
  error: string
  kind: FailureKind
  scope: FailureScope
  /** What the user should do; for transient rows, what happens on its own. */
  action: string
  matches: (error: unknown) => boolean
}

/** The classification of one error. */
export interface Failure {
  kind: FailureKind
  scope: FailureScope
  reason: string
  action: string
  /** `Name: message` of the error, at most 500 characters, free of secrets (both packages scrub theirs). */
  message: string
  /** For `defer`: when to try again. */
  retryAt?: Date
}

const TOKEN_ENDPOINT = 'POST /api/token'

const tokenRefusal = (code?: string) => (e: unknown) =>
  e instanceof SpotifyAuthError &&
  e.endpoint === TOKEN_ENDPOINT &&
  (code === undefined || e.oauthError === code)

const s3 = (test: (e: S3Error) => boolean) => (e: unknown) => e instanceof S3Error && test(e)

/** Every error class the Spotify client and the lake store raise, and what each one means. Order matters. */
export const FAILURE_RULES: readonly FailureRule[] = [
  {
    reason: 'quota_exceeded',
    error:
      "RateLimitedError with quotaExceeded: a 429 whose body says reason QUOTA_EXCEEDED (the developer account's quota)",
    kind: 'defer',
    scope: 'unit',
    action:
      'nothing to fix in the pipeline: every app of this Spotify developer account shares the quota; the run waits at least an hour (blockedUntil), and fewer runs or fewer apps on the account make it last',
    matches: (e) => e instanceof RateLimitedError && e.quotaExceeded,
  },
  {
    reason: 'rate_limited',
    error: 'RateLimitedError: 429 whose Retry-After is longer than the client sleeps',
    kind: 'defer',
    scope: 'unit',
    action: 'nothing: the run waits until Spotify lets the app in again (blockedUntil)',
    matches: (e) => e instanceof RateLimitedError,
  },
  {
    reason: 'spotify_client_invalid',
    error: 'SpotifyAuthError: the token endpoint answers invalid_client (wrong client id or secret)',
    kind: 'permanent',
    scope: 'run',
    action:
      'check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET against the app in the Spotify developer dashboard, then update the Worker secrets',
    matches: tokenRefusal('invalid_client'),
  },
  {
    reason: 'reauth_required',
    error:
      'SpotifyAuthError: the token endpoint answers invalid_grant (the refresh token expired six months after consent, was revoked or was already used)',
    kind: 'permanent',
    scope: 'account',
    action:
      "reconnect the account: open the Worker's /connect in a browser and approve (or store a new SPOTIFY_REFRESH_TOKEN from `lake auth`); the token endpoint is not asked again with the refused token",
    matches: tokenRefusal('invalid_grant'),
  },
  {
    reason: 'spotify_auth_refused',
    error:
      'SpotifyAuthError: any other refusal of the token endpoint (unauthorized_client, invalid_scope, invalid_request...)',
    kind: 'permanent',
    scope: 'run',
    action:
      "check the Spotify app's settings and the Worker's Spotify secrets; the message has Spotify's words",
    matches: tokenRefusal(),
  },
  {
    reason: 'spotify_unauthorized',
    error: 'SpotifyAuthError: the API answers 401 even with a freshly issued token',
    kind: 'transient',
    scope: 'unit',
    action:
      'retried with backoff; if it persists, check the scopes the refresh token was granted (`lake auth`)',
    matches: (e) => e instanceof SpotifyAuthError,
  },
  {
    reason: 'spotify_config_invalid',
    error: 'SpotifyConfigError: a bad client option, or a user-only endpoint without a refresh token',
    kind: 'permanent',
    scope: 'run',
    action: 'fix the Worker configuration the message names (GET /health lists invalid fields)',
    matches: (e) => e instanceof SpotifyConfigError,
  },
  {
    reason: 'spotify_not_found',
    error: 'SpotifyNotFoundError: 404 (a deleted playlist, an editorial playlist in development mode)',
    kind: 'permanent',
    scope: 'unit',
    action: 'remove the id from SOURCES if it is gone for good',
    matches: (e) => e instanceof SpotifyNotFoundError,
  },
  {
    reason: 'spotify_forbidden',
    error: 'SpotifyForbiddenError: 403 (items of a playlist the user neither owns nor collaborates on)',
    kind: 'permanent',
    scope: 'unit',
    action: 'development-mode apps read only the items of your own and collaborative playlists',
    matches: (e) => e instanceof SpotifyForbiddenError,
  },
  {
    reason: 'spotify_bad_request',
    error: 'SpotifyRequestError: any other 4xx (the request itself is wrong)',
    kind: 'permanent',
    scope: 'unit',
    action: 'report it with the message: the pipeline sent a request Spotify does not accept',
    matches: (e) => e instanceof SpotifyRequestError,
  },
  {
    reason: 'spotify_token_response_invalid',
    error: "SpotifyInvalidResponseError: the token endpoint's 200 is not a token",
    kind: 'permanent',
    scope: 'run',
    action: 'check SPOTIFY_ACCOUNTS_BASE_URL: it must be https://accounts.spotify.com',
    matches: (e) =>
      e instanceof SpotifyInvalidResponseError && e.endpoint === TOKEN_ENDPOINT && e.path !== '',
  },
  {
    reason: 'spotify_response_unreadable',
    error:
      'SpotifyInvalidResponseError: a body that is not JSON (truncated, broken) after the client retries',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff (a broken transfer)',
    matches: (e) => e instanceof SpotifyInvalidResponseError && e.path === '',
  },
  {
    reason: 'spotify_payload_off_schema',
    error: 'SpotifyInvalidResponseError: a JSON answer whose value at `path` is off the schema',
    kind: 'permanent',
    scope: 'unit',
    action: 'raw keeps the response; report it so the schema can follow Spotify',
    matches: (e) => e instanceof SpotifyInvalidResponseError,
  },
  {
    reason: 'spotify_unavailable',
    error: 'SpotifyUnavailableError: 5xx or network errors that outlived the client retries',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff',
    matches: (e) => e instanceof SpotifyUnavailableError,
  },
  {
    reason: 'spotify_timeout',
    error: 'SpotifyTimeoutError: every attempt ran past the timeout',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff',
    matches: (e) => e instanceof SpotifyTimeoutError,
  },
  {
    reason: 's3_unavailable',
    error: 'S3Error, transient: 5xx, 429, 408, timeouts and network errors after the store retries',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff',
    matches: s3((e) => e.transient),
  },
  {
    reason: 's3_access_denied',
    error: 'S3Error 403: AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId (credentials or IAM policy)',
    kind: 'permanent',
    scope: 'run',
    action: "check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and the IAM policy of the Worker's user",
    matches: s3((e) => e.status === 403),
  },
  {
    reason: 's3_bucket_missing',
    error: 'S3Error 404 NoSuchBucket',
    kind: 'permanent',
    scope: 'run',
    action: 'check S3_BUCKET (the bucket infra created: the lake_bucket output)',
    matches: s3((e) => e.code === 'NoSuchBucket'),
  },
  {
    reason: 's3_endpoint_misconfigured',
    error: 'S3Error 301 PermanentRedirect or 400 AuthorizationHeaderMalformed (wrong region or endpoint)',
    kind: 'permanent',
    scope: 'run',
    action: "check S3_ENDPOINT and S3_REGION against the bucket's region",
    matches: s3(
      (e) =>
        e.status === 301 ||
        e.code === 'PermanentRedirect' ||
        e.code === 'AuthorizationHeaderMalformed' ||
        e.code === 'IllegalLocationConstraintException',
    ),
  },
  {
    reason: 's3_object_missing',
    error: 'S3Error 404 NoSuchKey (an object the run wrote is gone)',
    kind: 'permanent',
    scope: 'unit',
    action: 'the object was deleted: replay the run from raw (`lake replay`)',
    matches: s3((e) => e.status === 404),
  },
  {
    reason: 's3_request_refused',
    error: 'S3Error, any other 4xx',
    kind: 'permanent',
    scope: 'unit',
    action: 'report it with the message: S3 refused a request the pipeline made',
    matches: (e) => e instanceof S3Error,
  },
  {
    reason: 'config_invalid',
    error: "ConfigError: a Worker's vars or secrets fail validation",
    kind: 'permanent',
    scope: 'run',
    action: 'fix the fields the message names (GET /health lists them), then start a new run',
    matches: (e) => e instanceof Error && e.name === 'ConfigError',
  },
  {
    reason: 'spotify_error',
    error: 'SpotifyError of a kind no row above knows',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff; report it if it persists',
    matches: (e) => e instanceof SpotifyError,
  },
  {
    reason: 'internal_error',
    error: 'anything else (a bug, a platform error such as a failed queue send or coordinator call)',
    kind: 'transient',
    scope: 'unit',
    action: 'retried with backoff, then dead-lettered; report it with the log line if it persists',
    matches: () => true,
  },
]

/** The row for `error` and what it means; never throws. */
export function classifyFailure(error: unknown): Failure {
  const rule = FAILURE_RULES.find((r) => r.matches(error)) as FailureRule
  const failure: Failure = {
    kind: rule.kind,
    scope: rule.scope,
    reason: rule.reason,
    action: rule.action,
    message: describeError(error),
  }
  if (error instanceof RateLimitedError) failure.retryAt = error.retryAt
  return failure
}

/** The row of a reason code (e.g. one read back from a manifest), or undefined for `stalled` / `cancelled`. */
export function failureRule(reason: string): FailureRule | undefined {
  return FAILURE_RULES.find((rule) => rule.reason === reason)
}

/** Why a run that stopped progressing was closed (not an error class: the coordinator's alarm finds it). */
export const STALLED_REASON = 'stalled'
/** A run closed on request (`POST /runs/:id/cancel`, or `lake run` stopped by the user). */
export const CANCELLED_REASON = 'cancelled'
