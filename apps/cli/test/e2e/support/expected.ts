/** @module What the lake must hold after a run, computed from the fake Spotify's catalog (never hard-coded). */
import type { FakeCatalog, FakePlaylist } from '@spotify-lake/spotify-client/fake'

export type ApiMode = 'development' | 'extended'

/**
 * Playlists whose items the app may read with some connected account that lists them, as the fake (and
 * Spotify) decide: a development-mode app reads only playlists the account's user owns or collaborates
 * on and never sees Spotify's editorial ones; an extended-quota app reads every playlist the user can
 * see. The others are skipped by a run.
 */
export function readablePlaylists(catalog: FakeCatalog, mode: ApiMode): FakePlaylist[] {
  return catalog.playlists.filter((p) =>
    p.listedBy.some((user) => {
      const member = p.ownerId === user || p.collaborators.includes(user)
      if (mode === 'development') return !p.editorial && member
      return p.public || member
    }),
  )
}

/** `account_playlists` rows of a run: one per account and playlist its listing holds. */
export function listedPairs(catalog: FakeCatalog): { accountId: string; playlistId: string }[] {
  return catalog.accounts.flatMap((a) =>
    catalog.playlists
      .filter((p) => p.listedBy.includes(a.id))
      .map((p) => ({ accountId: a.accountId, playlistId: p.id })),
  )
}

export interface ExpectedLake {
  playlists: FakePlaylist[]
  /** Listed playlists summed over the accounts (`account_playlists` rows). */
  accountPlaylists: number
  /** Every position of every readable playlist (removed tracks, local files and episodes included). */
  playlistItems: number
  trackIds: Set<string>
  albumIds: Set<string>
  /** Artists credited on the tracks and on their albums. */
  artistIds: Set<string>
}

export function expectedLake(catalog: FakeCatalog, mode: ApiMode): ExpectedLake {
  const playlists = readablePlaylists(catalog, mode)
  const trackIds = new Set<string>()
  for (const p of playlists) for (const e of p.entries) if (e.kind === 'track') trackIds.add(e.trackId)
  const albumIds = new Set<string>()
  const artistIds = new Set<string>()
  for (const id of trackIds) {
    const track = catalog.trackById.get(id)!
    albumIds.add(track.albumId)
    for (const a of track.artistIds) artistIds.add(a)
    for (const a of catalog.albumById.get(track.albumId)!.artistIds) artistIds.add(a)
  }
  return {
    playlists,
    accountPlaylists: listedPairs(catalog).length,
    playlistItems: playlists.reduce((sum, p) => sum + p.entries.length, 0),
    trackIds,
    albumIds,
    artistIds,
  }
}

/** `explicit-share.sql`: distinct tracks per playlist, the explicit ones, and their share. */
export function expectedExplicitShare(catalog: FakeCatalog, playlists: readonly FakePlaylist[]) {
  const rows = playlists.map((p) => {
    const tracks = new Set(p.entries.flatMap((e) => (e.kind === 'track' ? [e.trackId] : [])))
    const explicit = [...tracks].filter((id) => catalog.trackById.get(id)!.explicit).length
    return {
      playlist_id: p.id,
      playlist_name: p.name,
      track_count: tracks.size,
      explicit_count: explicit,
      unknown_count: 0,
      explicit_share: tracks.size === 0 ? null : Math.round((explicit / tracks.size) * 10_000) / 10_000,
    }
  })
  return rows.sort(
    (a, b) => (b.explicit_share ?? -1) - (a.explicit_share ?? -1) || (a.playlist_id < b.playlist_id ? -1 : 1),
  )
}

/** `top-artists.sql`: per credited artist, the playlists, distinct tracks and positions that credit it. */
export function expectedTopArtists(catalog: FakeCatalog, playlists: readonly FakePlaylist[]) {
  const stats = new Map<string, { playlists: Set<string>; tracks: Set<string>; items: number }>()
  for (const p of playlists) {
    for (const e of p.entries) {
      if (e.kind !== 'track') continue
      for (const artistId of catalog.trackById.get(e.trackId)!.artistIds) {
        const s = stats.get(artistId) ?? { playlists: new Set(), tracks: new Set(), items: 0 }
        s.playlists.add(p.id)
        s.tracks.add(e.trackId)
        s.items++
        stats.set(artistId, s)
      }
    }
  }
  const rows = [...stats].map(([artistId, s]) => ({
    artist_id: artistId,
    artist_name: catalog.artistById.get(artistId)!.name,
    playlist_count: s.playlists.size,
    track_count: s.tracks.size,
    item_count: s.items,
  }))
  rows.sort(
    (a, b) =>
      b.playlist_count - a.playlist_count ||
      b.track_count - a.track_count ||
      b.item_count - a.item_count ||
      (a.artist_id < b.artist_id ? -1 : 1),
  )
  return rows.slice(0, 50)
}
