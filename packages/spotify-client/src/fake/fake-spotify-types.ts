/** @module The fake's public shape: `FakeSpotify`, its options and the request log (apart, so routes can take it). */
import type { Hono } from 'hono'
import type { FakeCatalog, FakeCatalogOptions, FakePlaylist } from './catalog-types.ts'
import type { FakeFaults, FaultKind } from './faults.ts'
import type { LibraryChange, LibraryChangeResult } from './library-changes.ts'
import type { FakePlay, ListeningSession } from './listening.ts'
import type { FakeApiMode } from './render.ts'
import type { FakeEnv } from './route-context.ts'
import type { FakeAuthOptions } from './token-store.ts'

export interface FakeSpotifyOptions extends FakeCatalogOptions, FakeAuthOptions {
  mode?: FakeApiMode
  faults?: FakeFaults
  /** Fixed origin for hrefs and next/previous links; by default the origin of each request. */
  baseUrl?: string
  /** Clock for token expiry and the rate-limit window (tests may move time without sleeping). */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  status: number
  /** How the caller authenticated: user token, app (client credentials) token, none, or a bad/expired token. */
  auth: 'user' | 'app' | 'none' | 'invalid'
  /** For POST /api/token. */
  grantType?: string
  faults: FaultKind[]
  timestamp: string
}

export interface FakeSpotify {
  app: Hono<FakeEnv>
  readonly catalog: FakeCatalog
  readonly mode: FakeApiMode
  /**
   * Client credentials and the initial refresh token of the first consenting user, for configuring a
   * client under test; `refreshTokens` has every consenting user's initial token by user id.
   */
  readonly credentials: {
    clientId: string
    clientSecret: string
    refreshToken: string
    refreshTokens: Record<string, string>
  }
  requests: RecordedRequest[]
  setFaults(faults: FakeFaults): void
  /** Changes a playlist's snapshot id and (unless metadataOnly) its items. */
  mutatePlaylist(id: string, change?: { size?: number; metadataOnly?: boolean }): FakePlaylist
  /** New albums (each by a new artist) whose tracks are appended to the playlist: the catalog grows. */
  releaseAlbums(playlistId: string, release: { albums: number; tracksPerAlbum?: number }): FakePlaylist
  /** Makes every issued access token expired (the next API call answers 401). */
  expireTokens(): void
  /**
   * A new consent of `userId` (default the first consenting user) right now, as through /authorize and
   * the code exchange of `flow` (`pkce`: its token rotates): its refresh token and consent time.
   */
  consent(options?: { userId?: string; flow?: 'pkce' | 'confidential' }): {
    refreshToken: string
    consentedAt: number
  }
  /** Who /authorize consents as from now on (default the first consenting user); `deny` refuses the next one. */
  signIn(userId: string, options?: { deny?: boolean }): void
  /**
   * Every credential the fake ever handed out or was seeded with (access and refresh tokens, revoked ones,
   * authorization codes, the client secret): what a test scans logs, objects and storage for.
   */
  issuedSecrets(): string[]
  /** Moves the fake's clock forward (token expiry, six-month consent lifetime, rate windows). */
  advanceClock(ms: number): void
  /** The fake's current time (ms since the epoch): the injected clock plus every `advanceClock`. */
  now(): number
  /**
   * Schedules a listening session on the fake's clock (see `schedulePlays`): its plays appear in
   * `GET /me/player/recently-played` as the clock passes them, and only the last 50 ever show.
   */
  listen(session: ListeningSession): FakePlay[]
  /** Every play that has happened by the fake's clock, newest first, also those the API no longer shows. */
  playsSoFar(): FakePlay[]
  /**
   * Saves and removes tracks and albums of the user's library now, by the fake's clock (see
   * `changeLibrary`): `GET /me/tracks` and `/me/albums` answer with the changed library from then on.
   */
  changeLibrary(change: LibraryChange): LibraryChangeResult
  /** Clears the request log, restores the configured faults, the clock and the original catalog. */
  reset(): void
}
