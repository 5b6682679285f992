/** @module Public API of @spotify-lake/spotify-client: a typed Spotify Web API client that runs in workerd and Node. */
export type { ClientStats } from './accounting.ts'
export type { ApiRequest } from './api.ts'
export { type AccessToken, type AccessTokenSource, TOKEN_ENDPOINT, type TokenPreference } from './auth.ts'
export { backoffDelay, parseRetryAfter } from './backoff.ts'
export { createSpotifyClient, type SpotifyClient, type SpotifyClientOptions } from './client.ts'
export type { TimeRange } from './endpoints/me.ts'
export type { GetPlaylistOptions } from './endpoints/playlists.ts'
export {
  describeError,
  isQuotaExceeded,
  QUOTA_EXCEEDED,
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
} from './errors.ts'
export { MODE_PROFILES, type ModeProfile, PAGE_SIZES, REMOVED_STATUSES } from './mode.ts'
export { collect, itemsOf } from './paging.ts'
export {
  assertLoopbackRedirect,
  assertRedirectUri,
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  PIPELINE_SCOPES,
  type PkcePair,
  pkceChallenge,
} from './pkce.ts'
export {
  createTokenEndpoint,
  type ExchangeCodeInput,
  type TokenEndpoint,
  type TokenEndpointOptions,
} from './token-endpoint.ts'
export { DEFAULT_QUOTA_BLOCK_MS } from './transport.ts'
export type {
  ApiMode,
  Fetched,
  FetchedMany,
  FetchLike,
  ModeOption,
  Params,
  Runtime,
  SpotifyExchange,
} from './types.ts'
