/** @module A run's first units from its sources and the connected accounts (pure: no Durable Object, no S3). */
import type { AccountState, ExtractUnit } from '@spotify-lake/schemas'
import type { Sources } from '../config.ts'

/** What a run extracts; the plays only when `recentlyPlayed` says so. */
export type RunSources = Omit<
  Sources,
  'recentlyPlayed' | 'savedTracks' | 'savedAlbums' | 'savedShows' | 'savedEpisodes'
> & {
  recentlyPlayed?: boolean | undefined
  savedTracks?: boolean | undefined
  savedAlbums?: boolean | undefined
  savedShows?: boolean | undefined
  savedEpisodes?: boolean | undefined
}

/**
 * The first units of a run: each connected account's playlist list, its plays (`recently-played`) and
 * its saved tracks, albums, shows and episodes (`saved-tracks`, `saved-albums`, `saved-shows`, `saved-episodes`),
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
