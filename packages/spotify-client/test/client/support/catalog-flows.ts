/** @module The client's catalog flows, checked against the fake's catalog (shared by the Node and workerd tests). */
import { expect } from 'vitest'
import type { FakeCatalog } from '../../../src/fake/index.ts'
import { type ApiMode, collect, itemsOf, MODE_PROFILES, type SpotifyClient } from '../../../src/index.ts'
import { albumsOfArtist, readablePlaylists } from './catalog-math.ts'

/** Well-formed but absent from every fake catalog: Spotify answers null (batch) or 404 (single). */
export const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZ'

/** Runs every catalog flow once (and `GET /me`, whose id tells the user's own playlists apart) and checks the data against the fake's catalog. */
export async function runCatalogFlows(client: SpotifyClient, catalog: FakeCatalog, mode: ApiMode) {
  const me = await client.getCurrentUser()
  expect(me.data).toMatchObject({ id: catalog.user.id, type: 'user' })
  expect(me.raw).toMatchObject({ endpoint: '/me', status: 200, mode })
  for (const playlist of readablePlaylists(catalog, mode)) {
    const pages = await collect(client.playlistItems(playlist.id))
    const items = pages.flatMap((page) => page.data.items)
    expect(items).toHaveLength(playlist.entries.length)
    for (const page of pages) {
      expect(page.raw).toMatchObject({
        endpoint: MODE_PROFILES[mode].playlistItemsEndpoint,
        status: 200,
        mode,
      })
      expect(JSON.parse(page.raw.body)).toEqual(page.data)
    }
  }
  const trackIds = catalog.tracks.map((t) => t.id)
  const tracks = await client.getTracks([...trackIds, UNKNOWN_ID])
  expect(tracks.items).toHaveLength(trackIds.length + 1)
  tracks.items.slice(0, -1).forEach((track, i) => {
    expect([track?.id, track && 'linked_from' in track ? track.linked_from?.id : undefined]).toContain(
      trackIds[i],
    )
  })
  expect(tracks.items.at(-1)).toBeNull()

  const albumIds = catalog.albums.map((a) => a.id)
  const albums = await client.getAlbums(albumIds)
  expect(albums.items.map((a) => a?.id)).toEqual(albumIds)
  const artistIds = catalog.artists.map((a) => a.id)
  const artists = await client.getArtists([...artistIds, ...artistIds.slice(0, 3)])
  expect(artists.items.map((a) => a?.id)).toEqual([...artistIds, ...artistIds.slice(0, 3)])

  for (const album of catalog.albums) {
    const tracksOfAlbum = await collect(itemsOf(client.albumTracks(album.id)))
    expect(tracksOfAlbum.map((t) => t.id)).toEqual(album.trackIds)
  }
  for (const artist of catalog.artists) {
    const albumsOfIt = await collect(itemsOf(client.artistAlbums(artist.id)))
    expect(albumsOfIt).toHaveLength(albumsOfArtist(catalog, artist.id))
  }
}
