/** @module The fewest Spotify calls a run over "my playlists" can make, computed from the fake's catalog. */
import type { FakeCatalog, FakePlaylist } from '@spotify-lake/spotify-client/fake'

type Mode = 'development' | 'extended'

/** Spotify embeds the first 100 items in GET /playlists/{id}. */
const EMBEDDED_ITEMS = 100
const PROFILE = {
  development: { items: ['GET /playlists/{id}/items', 50], albums: null, artists: null },
  extended: { items: ['GET /playlists/{id}/tracks', 100], albums: 20, artists: 50 },
} as const

const pages = (n: number, size: number) => Math.ceil(n / size)

/**
 * Playlists a run extracts, once each whoever lists them: in development mode only those some listing
 * account owns or that are collaborative.
 */
export function plannedPlaylists(catalog: FakeCatalog, mode: Mode): FakePlaylist[] {
  return catalog.playlists.filter((p) =>
    p.listedBy.some((user) =>
      mode === 'development' ? !p.editorial && (p.ownerId === user || p.collaborative) : true,
    ),
  )
}

/**
 * Per endpoint: one mode probe, each account's listing (the account's user id comes with the run's plan:
 * no GET /me), one metadata call per planned playlist plus the item pages past the embedded first 100,
 * and each referenced album and artist once, in the largest batches the mode has (single GETs in
 * development mode).
 */
export function minimumCalls(catalog: FakeCatalog, mode: Mode): Record<string, number> {
  const planned = plannedPlaylists(catalog, mode)
  const albums = new Set<string>()
  const artists = new Set<string>()
  for (const p of planned) {
    for (const entry of p.entries) {
      if (entry.kind !== 'track') continue
      const track = catalog.trackById.get(entry.trackId)!
      albums.add(track.albumId)
      for (const a of track.artistIds) artists.add(a)
      for (const a of catalog.albumById.get(track.albumId)?.artistIds ?? []) artists.add(a)
    }
  }
  const profile = PROFILE[mode]
  const [itemsEndpoint, pageSize] = profile.items
  const out: Record<string, number> = {
    'GET /tracks': 1,
    'GET /me/playlists': catalog.accounts.reduce(
      (n, a) => n + Math.max(1, pages(catalog.playlists.filter((p) => p.listedBy.includes(a.id)).length, 50)),
      0,
    ),
    'GET /playlists/{id}': planned.length,
    [itemsEndpoint]: planned.reduce(
      (n, p) => n + pages(Math.max(0, p.entries.length - EMBEDDED_ITEMS), pageSize),
      0,
    ),
  }
  if (mode === 'development') {
    out['GET /albums/{id}'] = albums.size
    out['GET /artists/{id}'] = artists.size
  } else {
    out['GET /albums'] = pages(albums.size, profile.albums!)
    out['GET /artists'] = pages(artists.size, profile.artists!)
  }
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0))
}
