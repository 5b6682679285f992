/** @module A run's first units from its sources and the connected accounts (pure: no Durable Object, no S3). */
import { type AccountState, type ExtractUnit, TOP_TIME_RANGES } from '@spotify-lake/schemas'
import type { Sources } from '../config.ts'

/** What a run extracts; the plays, the user snapshots and the saved library only when their flags say so. */
export type RunSources = Omit<
  Sources,
  | 'recentlyPlayed'
  | 'topItems'
  | 'followedArtists'
  | 'savedTracks'
  | 'savedAlbums'
  | 'savedShows'
  | 'savedEpisodes'
> & {
  recentlyPlayed?: boolean | undefined
  topItems?: boolean | undefined
  followedArtists?: boolean | undefined
  savedTracks?: boolean | undefined
  savedAlbums?: boolean | undefined
  savedShows?: boolean | undefined
  savedEpisodes?: boolean | undefined
}

/**
 * The first units of a run: each connected account's playlist list, its plays (`recently-played`), its
 * six top lists (`top-items`: tracks and artists, three time ranges), its followed artists and its
 * saved tracks, albums, shows and episodes (`saved-tracks`, `saved-albums`, `saved-shows`, `saved-episodes`),
 * and each configured playlist, read with the first account's token (items of private and collaborative
 * playlists need a member's) or, with no account, the app's.
 */
export function planSources(sources: RunSources, accounts: readonly AccountState[]): ExtractUnit[] {
  const units: ExtractUnit[] = []
  if (sources.myPlaylists) {
    for (const { accountId, userId } of accounts) units.push({ type: 'my-playlists', accountId, userId })
  }
  if (sources.recentlyPlayed) {
    for (const { accountId } of accounts) units.push({ type: 'recently-played', accountId })
  }
  if (sources.topItems) {
    for (const { accountId } of accounts)
      for (const itemType of ['tracks', 'artists'] as const)
        for (const timeRange of TOP_TIME_RANGES)
          units.push({ type: 'top-items', accountId, itemType, timeRange })
  }
  if (sources.followedArtists) {
    for (const { accountId } of accounts) units.push({ type: 'followed-artists', accountId, part: 0 })
  }
  if (sources.savedTracks) {
    for (const { accountId } of accounts) units.push({ type: 'saved-tracks', accountId })
  }
  if (sources.savedAlbums) {
    for (const { accountId } of accounts) units.push({ type: 'saved-albums', accountId })
  }
  if (sources.savedShows) {
    for (const { accountId } of accounts) units.push({ type: 'saved-shows', accountId })
  }
  if (sources.savedEpisodes) {
    for (const { accountId } of accounts) units.push({ type: 'saved-episodes', accountId })
  }
  const reader = accounts[0]?.accountId
  for (const playlistId of new Set(sources.playlists))
    units.push({ type: 'playlist', playlistId, offset: 0, part: 0, ...(reader ? { accountId: reader } : {}) })
  return units
}
