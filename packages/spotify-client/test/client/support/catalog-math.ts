/** @module Expected results computed from a fake catalog alone (no I/O; shared by the Node and workerd tests). */
import type { FakeCatalog, FakePlaylist } from '../../../src/fake/index.ts'
import { type ApiMode, MODE_PROFILES } from '../../../src/index.ts'

/** Playlists whose items the fake's user may read in a mode (Spotify's 2026 rules, from the catalog). */
export function readablePlaylists(catalog: FakeCatalog, mode: 'development' | 'extended'): FakePlaylist[] {
  const userId = catalog.user.id
  const member = (p: FakePlaylist) => p.ownerId === userId || p.collaborators.includes(userId)
  return catalog.playlists.filter((p) =>
    mode === 'development' ? member(p) && !p.editorial : p.public || member(p),
  )
}

/** Requests needed to page `total` items at `pageSize` (an empty list still costs one request). */
export const pagesFor = (total: number, pageSize: number): number => Math.max(1, Math.ceil(total / pageSize))

export const countBy = <T>(list: T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const item of list) out[key(item)] = (out[key(item)] ?? 0) + 1
  return out
}

export const albumsOfArtist = (catalog: FakeCatalog, artistId: string): number =>
  catalog.albums.filter((album) => album.artistIds.includes(artistId)).length

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/**
 * The fewest requests `runCatalogFlows` can take in `mode`: the current user, every readable playlist's items, every
 * track (plus `extraTrackIds` unknown ones), album and artist by id, every album's tracks and every
 * artist's albums, at the mode's page and batch sizes.
 */
export function minimumCalls(catalog: FakeCatalog, mode: ApiMode, extraTrackIds = 1): Record<string, number> {
  const profile = MODE_PROFILES[mode]
  const expected: Record<string, number> = {
    'GET /me': 1,
    [`GET ${profile.playlistItemsEndpoint}`]: sum(
      readablePlaylists(catalog, mode).map((p) => pagesFor(p.entries.length, profile.playlistItemsPageSize)),
    ),
    'GET /albums/{id}/tracks': sum(catalog.albums.map((a) => pagesFor(a.trackIds.length, 50))),
    'GET /artists/{id}/albums': sum(
      catalog.artists.map((a) => pagesFor(albumsOfArtist(catalog, a.id), profile.artistAlbumsPageSize)),
    ),
  }
  const batch = profile.batchSizes
  if (batch) {
    expected['GET /tracks'] = pagesFor(catalog.tracks.length + extraTrackIds, batch.tracks)
    expected['GET /albums'] = pagesFor(catalog.albums.length, batch.albums)
    expected['GET /artists'] = pagesFor(catalog.artists.length, batch.artists)
  } else {
    expected['GET /tracks/{id}'] = catalog.tracks.length + extraTrackIds
    expected['GET /albums/{id}'] = catalog.albums.length
    expected['GET /artists/{id}'] = catalog.artists.length
  }
  return expected
}
