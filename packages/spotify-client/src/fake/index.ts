/** @module Protocol-faithful local fake of the Spotify Web API and accounts service (runs in Node and workerd). */

export { buildCatalog, OTHER_USER_ID, SPOTIFY_USER_ID } from './catalog.ts'
export { MAX_PLAYLIST_ITEMS } from './catalog-entries.ts'
export { followedArtistIds, TIME_RANGES, TOP_LIST_LENGTH, topIds } from './catalog-library.ts'
export { BATCH_LIMITS } from './catalog-routes.ts'
export type * from './catalog-types.ts'
export {
  createFakeSpotify,
  type FakeSpotify,
  type FakeSpotifyOptions,
  type RecordedRequest,
} from './fake-spotify.ts'
export { type FakeFaults, FakeFaultsSchema, type FaultKind, parseFaults } from './faults.ts'
export type { LibraryChange, LibraryChangeResult } from './library-changes.ts'
export { type FakePlay, type ListeningSession, PLAY_HISTORY_CAP, playHistory } from './listening.ts'
export { createPrng, isSpotifyId, spotifyId } from './prng.ts'
export type { FakeApiMode } from './render.ts'
export type { AccessGrant, FakeAuthOptions } from './token-store.ts'
