/** @module New releases: the catalog grows (new artists, albums, tracks) and a playlist gets their tracks. */
import { playlistSnapshotId } from './catalog-entries.ts'
import type { FakeAlbum, FakeArtist, FakeCatalog, FakePlaylist, FakeTrack } from './catalog-types.ts'
import { spotifyId } from './prng.ts'

/**
 * Adds `albums` new albums, each by a new artist with `tracksPerAlbum` tracks, and appends those tracks
 * to the playlist (a new version and snapshot id). Ids follow the catalog's own scheme (`<seed>:album:<i>`),
 * so the same releases on the same seed give the same ids.
 * @throws Error for an unknown playlist or counts out of range (1-1000 albums, 1-50 tracks each)
 */
export const releaseAlbums = ({
  catalog,
  playlistId,
  albums: count,
  tracksPerAlbum = 2,
}: {
  catalog: FakeCatalog
  playlistId: string
  albums: number
  tracksPerAlbum?: number
}): { playlist: FakePlaylist; albums: FakeAlbum[]; artists: FakeArtist[]; tracks: FakeTrack[] } => {
  const playlist = catalog.playlistById.get(playlistId)
  if (!playlist) throw new Error(`releaseAlbums: unknown playlist ${playlistId}`)
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new Error(`releaseAlbums: albums must be an integer from 1 to 1000, got ${count}`)
  if (!Number.isInteger(tracksPerAlbum) || tracksPerAlbum < 1 || tracksPerAlbum > 50)
    throw new Error(`releaseAlbums: tracksPerAlbum must be an integer from 1 to 50, got ${tracksPerAlbum}`)
  const key = (kind: string, i: number) => `${catalog.seed}:${kind}:${i}`
  const added = { albums: [] as FakeAlbum[], artists: [] as FakeArtist[], tracks: [] as FakeTrack[] }
  for (let n = 0; n < count; n++) {
    const a = catalog.artists.length
    const artist: FakeArtist = {
      id: spotifyId(key('artist', a)),
      name: `Newcomer ${a}`,
      genres: ['indie'],
      popularity: 1,
      followers: 10,
    }
    const i = catalog.albums.length
    const album: FakeAlbum = {
      id: spotifyId(key('album', i)),
      name: `Debut LP ${i}`,
      albumType: 'album',
      artistIds: [artist.id],
      releaseDate: '2026-11-20',
      releaseDatePrecision: 'day',
      label: 'Fresh Records',
      popularity: 1,
      upc: String(600000000000 + i),
      trackIds: [],
    }
    catalog.artists.push(artist)
    catalog.artistById.set(artist.id, artist)
    catalog.albums.push(album)
    catalog.albumById.set(album.id, album)
    added.artists.push(artist)
    added.albums.push(album)
    for (let t = 0; t < tracksPerAlbum; t++) {
      const j = catalog.tracks.length
      const track: FakeTrack = {
        id: spotifyId(key('track', j)),
        name: `Single ${j}`,
        albumId: album.id,
        artistIds: [artist.id],
        durationMs: 180_000 + t * 1000,
        explicit: false,
        popularity: 1,
        discNumber: 1,
        trackNumber: t + 1,
        isrc: `USNEW${String(j).padStart(7, '0')}`,
        relinked: false,
      }
      album.trackIds.push(track.id)
      catalog.tracks.push(track)
      catalog.trackById.set(track.id, track)
      added.tracks.push(track)
      playlist.entries.push({
        kind: 'track',
        trackId: track.id,
        addedAt: '2026-11-20T12:00:00Z',
        addedBy: playlist.ownerId,
      })
    }
  }
  playlist.version += 1
  playlist.snapshotId = playlistSnapshotId({
    seed: catalog.seed,
    id: playlist.id,
    version: playlist.version,
    entries: playlist.entries,
  })
  return { playlist, ...added }
}
