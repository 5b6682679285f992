/** @module API quota modes: what each mode allows (endpoints, page and batch sizes) and `auto` detection. */
import type { CatalogKind } from '@spotify-lake/schemas'
import { SpotifyConfigError } from './errors.ts'
import type { ApiMode, ModeOption } from './types.ts'

export interface ModeProfile {
  /** Development-mode apps only have the 2026 `/items`; extended keeps the legacy `/tracks`. */
  playlistItemsEndpoint: '/playlists/{id}/items' | '/playlists/{id}/tracks'
  playlistItemsPageSize: number
  artistAlbumsPageSize: number
  /** Ids per Get Several request; `null`: the batch endpoints are gone, fetch one by one. */
  batchSizes: Record<CatalogKind, number> | null
}

export const MODE_PROFILES: Record<ApiMode, ModeProfile> = {
  development: {
    playlistItemsEndpoint: '/playlists/{id}/items',
    playlistItemsPageSize: 50,
    artistAlbumsPageSize: 10,
    batchSizes: null,
  },
  extended: {
    playlistItemsEndpoint: '/playlists/{id}/tracks',
    playlistItemsPageSize: 100,
    artistAlbumsPageSize: 50,
    batchSizes: { tracks: 50, albums: 20, artists: 50 },
  },
}

/** Page sizes that do not depend on the mode. */
export const PAGE_SIZES = {
  albumTracks: 50,
  myPlaylists: 50,
  savedTracks: 50,
  savedAlbums: 50,
  savedShows: 50,
  savedEpisodes: 50,
  topItems: 50,
  followedArtists: 50,
  recentlyPlayed: 50,
} as const

/**
 * How a removed endpoint answers a development-mode app. Spotify has used 403 and 404 for removals
 * (410 is the textbook answer); an extended app gets 200 with `null` slots for unknown ids, so none
 * of these can be confused with "this id does not exist" on a Get Several call.
 */
export const REMOVED_STATUSES: readonly number[] = [403, 404, 410]

export interface ModeState {
  /** The mode, or `undefined` while `auto` has not detected it yet. */
  current(): ApiMode | undefined
  /** The mode, running `detect` once (concurrent callers share that one detection). */
  resolve(): Promise<ApiMode>
  /** What `mode` option the client was created with. */
  option: ModeOption
}

export function createModeState({
  option,
  detect,
}: {
  option: ModeOption
  detect: () => Promise<ApiMode>
}): ModeState {
  if (option !== 'auto' && option !== 'development' && option !== 'extended') {
    throw new SpotifyConfigError(`mode must be 'auto', 'development' or 'extended', got ${String(option)}`)
  }
  let known: ApiMode | undefined = option === 'auto' ? undefined : option
  let detecting: Promise<ApiMode> | undefined
  return {
    option,
    current: () => known,
    resolve() {
      if (known) return Promise.resolve(known)
      detecting ??= detect().then(
        (mode) => {
          known = mode
          return mode
        },
        (error: unknown) => {
          // A failed probe (e.g. a 429) must not poison the client: the next call detects again.
          detecting = undefined
          throw error
        },
      )
      return detecting
    },
  }
}
