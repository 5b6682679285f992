/** @module `createSpotifyClient`: wires auth, transport, limiter, accounting, mode and endpoints together. */
import {
  type Album,
  type AlbumTracksPage,
  type Artist,
  type ArtistAlbumsPage,
  type CatalogKind,
  type CurrentUser,
  type FollowedArtists,
  type PlaylistProjection,
  type RecentlyPlayed,
  type SavedAlbumsPage,
  type SavedEpisodesPage,
  type SavedShowsPage,
  type SavedTracksPage,
  SeveralTracksSchema,
  type TolerantPlaylist,
  type TolerantPlaylistItemsPage,
  type TopArtistsPage,
  type TopTracksPage,
  type Track,
  type UserPlaylistsPage,
} from '@spotify-lake/schemas'
import type { z } from 'zod'
import { type ClientStats, createAccounting } from './accounting.ts'
import { type ApiRequest, createApi } from './api.ts'
import { type AccessTokenSource, createTokenManager } from './auth.ts'
import { albumTracks, artistAlbums, getMany } from './endpoints/catalog.ts'
import type { EndpointContext } from './endpoints/context.ts'
import {
  followedArtists,
  getCurrentUser,
  myPlaylists,
  recentlyPlayed,
  savedAlbums,
  savedEpisodes,
  savedShows,
  savedTracks,
  type TimeRange,
  topItems,
} from './endpoints/me.ts'
import {
  type GetPlaylistOptions,
  getPlaylist,
  getPlaylistSnapshotId,
  playlistItems,
} from './endpoints/playlists.ts'
import { SpotifyConfigError } from './errors.ts'
import { createLimiter } from './limiter.ts'
import { createModeState, REMOVED_STATUSES } from './mode.ts'
import { createSecrets } from './secrets.ts'
import { createTransport } from './transport.ts'
import {
  type ApiMode,
  type Fetched,
  type FetchedMany,
  type FetchLike,
  type ModeOption,
  type Runtime,
  realRuntime,
} from './types.ts'

export interface SpotifyClientOptions extends Partial<Runtime> {
  clientId: string
  /** Needed for client credentials (app token); omit for a public PKCE client with a refresh token. */
  clientSecret?: string | undefined
  /** The user's refresh token (Authorization Code + PKCE); enables playlist items as the user and /me/*. */
  refreshToken?: string | undefined
  /** Spotify may hand out a new refresh token on refresh; persist it, the old one may stop working. */
  onRefreshTokenRotated?: ((refreshToken: string) => unknown) | undefined
  /**
   * User access tokens from elsewhere (a token broker that holds the refresh token), instead of
   * `refreshToken`: the client then never calls the token endpoint for user tokens.
   */
  userAccessToken?: AccessTokenSource | undefined
  /** App access tokens from elsewhere, instead of the client-credentials grant with `clientSecret`. */
  appAccessToken?: AccessTokenSource | undefined
  mode?: ModeOption
  apiBaseUrl?: string
  accountsBaseUrl?: string
  fetch?: FetchLike
  /** Requests in flight at once, shared by every call of this client. */
  concurrency?: number
  /** Per attempt, body included. */
  timeoutMs?: number
  /** Retries per request for 429, 5xx, network errors, timeouts and malformed JSON. */
  maxRetries?: number
  /** Longest `Retry-After` the client sleeps through; longer ones throw `RateLimitedError`. */
  maxWaitMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** A quota 429 (`reason: QUOTA_EXCEEDED`) blocks at least this long (default one hour). */
  quotaBlockMs?: number
  /** Track id used by `auto` to probe Get Several Tracks; any real id works. */
  probeTrackId?: string
}

export interface SpotifyClient {
  /** The detected or configured mode; `undefined` while `auto` has not detected it yet. */
  mode(): ApiMode | undefined
  /** Detect (once) and return the mode. */
  detectMode(): Promise<ApiMode>
  /** Counters since creation, for run manifests and benchmarks. */
  stats(): ClientStats
  /** Any GET of the Web API, validated with `schema`, with its raw exchange. */
  request<S extends z.ZodType>(request: ApiRequest<S>): Promise<Fetched<z.output<S>>>
  getPlaylist(
    id: string,
    options: GetPlaylistOptions & { fields: string },
  ): Promise<Fetched<PlaylistProjection>>
  getPlaylist(
    id: string,
    options?: GetPlaylistOptions & { fields?: undefined },
  ): Promise<Fetched<TolerantPlaylist>>
  getPlaylistSnapshotId(id: string): Promise<Fetched<string>>
  playlistItems(
    id: string,
    options?: { market?: string; fields?: string; startOffset?: number },
  ): AsyncGenerator<Fetched<TolerantPlaylistItemsPage>>
  getTracks(ids: readonly string[]): Promise<FetchedMany<Track>>
  getAlbums(ids: readonly string[]): Promise<FetchedMany<Album>>
  getArtists(ids: readonly string[]): Promise<FetchedMany<Artist>>
  albumTracks(id: string, options?: { market?: string }): AsyncGenerator<Fetched<AlbumTracksPage>>
  artistAlbums(
    id: string,
    options?: { includeGroups?: readonly string[]; market?: string },
  ): AsyncGenerator<Fetched<ArtistAlbumsPage>>
  /** `GET /me` (user token): the user of the refresh token, e.g. to tell owned playlists from followed ones. */
  getCurrentUser(): Promise<Fetched<CurrentUser>>
  myPlaylists(): AsyncGenerator<Fetched<UserPlaylistsPage>>
  savedTracks(options?: { market?: string }): AsyncGenerator<Fetched<SavedTracksPage>>
  /** `GET /me/albums` (user token), newest saved first. */
  savedAlbums(options?: { market?: string }): AsyncGenerator<Fetched<SavedAlbumsPage>>
  /** `GET /me/shows` (user token), newest saved first. */
  savedShows(): AsyncGenerator<Fetched<SavedShowsPage>>
  /** `GET /me/episodes` (user token), newest saved first. */
  savedEpisodes(options?: { market?: string }): AsyncGenerator<Fetched<SavedEpisodesPage>>
  topItems(type: 'artists', options?: { timeRange?: TimeRange }): AsyncGenerator<Fetched<TopArtistsPage>>
  topItems(type: 'tracks', options?: { timeRange?: TimeRange }): AsyncGenerator<Fetched<TopTracksPage>>
  recentlyPlayed(options?: { after?: number; before?: number }): AsyncGenerator<Fetched<RecentlyPlayed>>
  /** `GET /me/following?type=artist` (user token): the followed artists, 50 a page, from the `after` cursor (an artist id). */
  followedArtists(options?: { after?: string }): AsyncGenerator<Fetched<FollowedArtists>>
}

/** A well-known track (the docs' example id): only its endpoint's answer matters, not the track. */
const DEFAULT_PROBE_TRACK_ID = '4iV5W9uYEdYUVa79Axb7Rh'

/**
 * A typed Spotify Web API client: tokens (user refresh, PKCE or a broker's `AccessTokenSource`, and the
 * app's client credentials), offset and cursor paging, batches with single-GET fallback, the app's quota
 * mode (`auto` detects it with one probe call), a concurrency cap, and retries of 429/5xx/network errors
 * with backoff (`backoffBaseMs` doubling to `backoffMaxMs`, a `Retry-After` over `maxWaitMs` surfaces as
 * `RateLimitedError`). It never logs or throws a secret. Nothing is sent until a method is called.
 *
 * @param options times in milliseconds; `timeoutMs` per request; `maxRetries` per request; `concurrency`
 *   requests in flight; `apiBaseUrl`/`accountsBaseUrl` point at a fake in tests
 * @returns the client; each endpoint method answers `Fetched<T>` (`data` validated by the schemas, `raw`
 *   the exchange as the lake stores it) or an async generator of them
 * @throws SpotifyConfigError at once for a negative or non-numeric time/retry option or a base URL that
 *   does not parse; the methods throw `SpotifyError` subclasses (see `errors.ts`)
 * @example
 * const client = createSpotifyClient({ clientId, clientSecret, refreshToken, mode: 'development' })
 * const { data } = await client.getPlaylist('37i9dQZF1DXcBWIGoYBM5M')
 */
export function createSpotifyClient({
  clientId,
  clientSecret,
  refreshToken,
  onRefreshTokenRotated,
  userAccessToken,
  appAccessToken,
  mode = 'auto',
  apiBaseUrl = 'https://api.spotify.com/v1',
  accountsBaseUrl = 'https://accounts.spotify.com',
  fetch = (input, init) => globalThis.fetch(input, init),
  concurrency = 4,
  timeoutMs = 10_000,
  maxRetries = 4,
  maxWaitMs = 30_000,
  backoffBaseMs = 500,
  backoffMaxMs = 8_000,
  quotaBlockMs,
  probeTrackId = DEFAULT_PROBE_TRACK_ID,
  now = realRuntime.now,
  sleep = realRuntime.sleep,
  random = realRuntime.random,
}: SpotifyClientOptions): SpotifyClient {
  for (const [name, value] of Object.entries({
    timeoutMs,
    maxRetries,
    maxWaitMs,
    backoffBaseMs,
    backoffMaxMs,
  })) {
    if (!Number.isFinite(value) || value < 0)
      throw new SpotifyConfigError(`${name} must be a number >= 0, got ${value}`)
  }
  for (const [name, value] of Object.entries({ apiBaseUrl, accountsBaseUrl })) {
    if (!URL.canParse(value)) throw new SpotifyConfigError(`${name} is not a URL: ${value}`)
  }
  const runtime: Runtime = { now, sleep, random }
  const secrets = createSecrets()
  const accounting = createAccounting()
  const limiter = createLimiter({ concurrency, runtime })
  const transport = createTransport({
    fetch,
    runtime,
    limiter,
    accounting,
    secrets,
    timeoutMs,
    maxRetries,
    maxWaitMs,
    backoffBaseMs,
    backoffMaxMs,
    ...(quotaBlockMs === undefined ? {} : { quotaBlockMs }),
  })
  const tokens = createTokenManager({
    clientId,
    clientSecret,
    refreshToken,
    onRefreshTokenRotated,
    userSource: userAccessToken,
    appSource: appAccessToken,
    accountsBaseUrl: accountsBaseUrl.replace(/\/+$/, ''),
    transport,
    runtime,
    secrets,
    onRefreshed: (rotated) => {
      accounting.tokenRefreshed()
      if (rotated) accounting.refreshTokenRotated()
    },
  })
  const api = createApi({ apiBaseUrl, transport, tokens })

  /**
   * `auto` asks Get Several Tracks once: development-mode apps lost it in 2026 (it answers as
   * removed), extended-quota apps still get 200. Unlike the playlist shape, this answer does not
   * depend on which playlist comes first or on `fields=`; it costs one small request per client.
   */
  const modeState = createModeState({
    option: mode,
    detect: async () => {
      const probe = await api.call({
        endpoint: '/tracks',
        params: { ids: probeTrackId },
        schema: SeveralTracksSchema,
        token: 'prefer-app',
        mode: 'extended',
        accept: REMOVED_STATUSES,
      })
      return probe.data === null ? 'development' : 'extended'
    },
  })
  const context: EndpointContext = {
    api,
    mode: () => modeState.resolve(),
    removedBatches: new Set<CatalogKind>(),
  }

  return {
    mode: () => modeState.current(),
    detectMode: () => modeState.resolve(),
    stats: () => accounting.snapshot(),
    request: async (request) => api.call({ ...request, mode: await modeState.resolve() }),
    getPlaylist: ((id: string, options: GetPlaylistOptions = {}) =>
      getPlaylist({ context, id, ...options })) as SpotifyClient['getPlaylist'],
    getPlaylistSnapshotId: (id) => getPlaylistSnapshotId({ context, id }),
    playlistItems: (id, options = {}) => playlistItems({ context, id, ...options }),
    getTracks: (ids) => getMany({ context, kind: 'tracks', ids }),
    getAlbums: (ids) => getMany({ context, kind: 'albums', ids }),
    getArtists: (ids) => getMany({ context, kind: 'artists', ids }),
    albumTracks: (id, options = {}) => albumTracks({ context, id, ...options }),
    artistAlbums: (id, options = {}) => artistAlbums({ context, id, ...options }),
    getCurrentUser: () => getCurrentUser({ context }),
    myPlaylists: () => myPlaylists({ context }),
    savedTracks: (options = {}) => savedTracks({ context, ...options }),
    savedAlbums: (options = {}) => savedAlbums({ context, ...options }),
    savedShows: () => savedShows({ context }),
    savedEpisodes: (options = {}) => savedEpisodes({ context, ...options }),
    topItems: ((type: 'artists' | 'tracks', options: { timeRange?: TimeRange } = {}) =>
      topItems({ context, type: type as 'artists', ...options })) as SpotifyClient['topItems'],
    recentlyPlayed: (options = {}) => recentlyPlayed({ context, ...options }),
    followedArtists: (options = {}) => followedArtists({ context, ...options }),
  }
}
