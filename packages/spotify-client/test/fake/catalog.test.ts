/** @module Tests of the synthetic catalog: determinism, real-world quirks, ownership, mutation, identical bytes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildCatalog,
  createFakeSpotify,
  createPrng,
  isSpotifyId,
  OTHER_USER_ID,
  SPOTIFY_USER_ID,
} from '../../src/fake/index.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { getToken } from './support/helpers.ts'

describe('synthetic catalog', () => {
  it('is a pure function of the options: same seed, same catalog; another seed, another one', () => {
    const a = buildCatalog({ seed: 42, sizes: [30, 8] })
    const b = buildCatalog({ seed: 42, sizes: [30, 8] })
    const c = buildCatalog({ seed: 43, sizes: [30, 8] })
    expect(JSON.stringify(a.playlists)).toBe(JSON.stringify(b.playlists))
    expect(JSON.stringify(a.tracks)).toBe(JSON.stringify(b.tracks))
    expect(a.tracks[0]?.id).not.toBe(c.tracks[0]?.id)
    expect(JSON.stringify(a.playlists)).not.toBe(JSON.stringify(c.playlists))
  })

  it('the PRNG is deterministic and spread over [0, 1)', () => {
    const draw = () => {
      const prng = createPrng({ seed: 'x' })
      return Array.from({ length: 1000 }, () => prng.next())
    }
    const values = draw()
    expect(values).toEqual(draw())
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(400)
    expect(values.filter((v) => v < 0.5).length).toBeLessThan(600)
  })

  it('has every real-world quirk: duplicates, shared tracks, removed, local files, episodes', () => {
    const catalog = buildCatalog({ seed: 1, sizes: [40, 40, 40, 40] })
    const [first, second] = catalog.playlists
    if (!first || !second) throw new Error('no playlists')
    const trackIds = (p: typeof first) => p.entries.flatMap((e) => (e.kind === 'track' ? [e.trackId] : []))
    expect(new Set(trackIds(first)).size).toBeLessThan(trackIds(first).length)
    const shared = trackIds(first).filter((id) => trackIds(second).includes(id))
    expect(shared.length).toBeGreaterThan(0)
    for (const kind of ['removed', 'local', 'episode', 'track'] as const) {
      expect(first.entries.some((e) => e.kind === kind)).toBe(true)
    }
    expect(new Set(catalog.albums.map((a) => a.releaseDatePrecision))).toEqual(
      new Set(['year', 'month', 'day']),
    )
    expect(catalog.albums.find((a) => a.releaseDatePrecision === 'year')?.releaseDate).toMatch(/^\d{4}$/)
    expect(catalog.albums.find((a) => a.releaseDatePrecision === 'month')?.releaseDate).toMatch(
      /^\d{4}-\d{2}$/,
    )
    expect(catalog.artists.some((a) => a.genres.length === 0)).toBe(true)
    expect(catalog.artists.some((a) => a.genres.length > 0)).toBe(true)
    expect(catalog.tracks.every((t) => isSpotifyId(t.id))).toBe(true)
  })

  it('mixes ownership: the user, another user (plain and collaborative), and Spotify (editorial)', () => {
    const catalog = buildCatalog({ seed: 1 })
    const owners = catalog.playlists.map((p) => p.ownerId)
    expect(owners.filter((o) => o === catalog.user.id).length).toBeGreaterThan(0)
    expect(owners.filter((o) => o === OTHER_USER_ID).length).toBeGreaterThan(0)
    const editorial = catalog.playlists.filter((p) => p.editorial)
    expect(editorial).toHaveLength(1)
    expect(editorial[0]?.ownerId).toBe(SPOTIFY_USER_ID)
    expect(catalog.playlists.some((p) => p.collaborative && p.collaborators.includes(catalog.user.id))).toBe(
      true,
    )
  })

  it('rejects sizes over 10,000 and bad counts with a clear error', () => {
    expect(() => buildCatalog({ sizes: [10_001] })).toThrow(
      /playlist size must be an integer from 0 to 10000/,
    )
    expect(() => buildCatalog({ artists: 0 })).toThrow(/artists must be an integer/)
    expect(() => createFakeSpotify({ mode: 'legacy' as never })).toThrow(/mode must be/)
  })

  it('mutatePlaylist changes snapshot id and items; metadataOnly changes only the snapshot and description', () => {
    const fake = createFakeSpotify({ seed: 5, sizes: [30] })
    const playlist = fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    const before = { snapshot: playlist.snapshotId, entries: JSON.stringify(playlist.entries) }
    fake.mutatePlaylist(playlist.id, { metadataOnly: true })
    expect(playlist.snapshotId).not.toBe(before.snapshot)
    expect(JSON.stringify(playlist.entries)).toBe(before.entries)
    const metadataSnapshot = playlist.snapshotId
    fake.mutatePlaylist(playlist.id, { size: 31 })
    expect(playlist.snapshotId).not.toBe(metadataSnapshot)
    expect(playlist.entries).toHaveLength(31)
    fake.reset()
    expect(fake.catalog.playlists[0]?.snapshotId).toBe(before.snapshot)
  })

  it('releaseAlbums grows the catalog: new albums by new artists, their tracks appended, a new snapshot', () => {
    const fake = createFakeSpotify({ seed: 5, sizes: [30] })
    const playlist = fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    const before = {
      snapshot: playlist.snapshotId,
      albums: fake.catalog.albums.length,
      artists: fake.catalog.artists.length,
    }
    fake.releaseAlbums(playlist.id, { albums: 2, tracksPerAlbum: 3 })
    expect(playlist.snapshotId).not.toBe(before.snapshot)
    expect(playlist.entries).toHaveLength(36)
    const added = fake.catalog.albums.slice(before.albums)
    expect(added).toHaveLength(2)
    expect(fake.catalog.artists).toHaveLength(before.artists + 2)
    for (const album of added) {
      expect(fake.catalog.albumById.get(album.id)).toBe(album)
      // Each by a new artist, whom no earlier album credits.
      expect(
        fake.catalog.albums
          .slice(0, before.albums)
          .some((a) => a.artistIds.includes(album.artistIds[0] ?? '')),
      ).toBe(false)
      for (const trackId of album.trackIds)
        expect(fake.catalog.trackById.get(trackId)?.albumId).toBe(album.id)
    }
    const appended = playlist.entries.slice(30).map((e) => (e.kind === 'track' ? e.trackId : e.kind))
    expect(appended).toEqual(added.flatMap((a) => a.trackIds))
    // The same releases on the same seed give the same ids.
    const again = createFakeSpotify({ seed: 5, sizes: [30] })
    again.releaseAlbums(playlist.id, { albums: 2, tracksPerAlbum: 3 })
    expect(again.catalog.albums.slice(before.albums).map((a) => a.id)).toEqual(added.map((a) => a.id))
    expect(() => fake.releaseAlbums(playlist.id, { albums: 0 })).toThrow(
      /albums must be an integer from 1 to 1000/,
    )
    expect(() => fake.releaseAlbums('nope', { albums: 1 })).toThrow(/unknown playlist nope/)
  })

  it('a snapshot id covers the items: the same seed with other sizes never reuses one', () => {
    const small = buildCatalog({ seed: 42, sizes: [30, 8] })
    const large = buildCatalog({ seed: 42, sizes: [31, 8] })
    // Same playlist ids, other content: a run must not take the larger playlist for unchanged.
    expect(large.playlists[0]?.id).toBe(small.playlists[0]?.id)
    expect(large.playlists[0]?.snapshotId).not.toBe(small.playlists[0]?.snapshotId)
    const again = buildCatalog({ seed: 42, sizes: [30, 8] })
    expect(again.playlists.map((p) => p.snapshotId)).toEqual(small.playlists.map((p) => p.snapshotId))
  })
})

describe('determinism over HTTP', () => {
  let a: RunningFakeSpotify
  let b: RunningFakeSpotify
  beforeAll(async () => {
    // A fixed baseUrl makes hrefs independent of the (ephemeral) port.
    a = await startFakeSpotify({ seed: 'bytes', baseUrl: 'http://fake.test', sizes: [60, 10, 10, 10] })
    b = await startFakeSpotify({ seed: 'bytes', baseUrl: 'http://fake.test', sizes: [60, 10, 10, 10] })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
  })

  it('same seed gives byte-identical responses on two servers', async () => {
    const bytes = async (server: RunningFakeSpotify) => {
      const token = await getToken(server.url, 'user')
      const playlist = server.fake.catalog.playlists[0]
      const album = server.fake.catalog.albums[1]
      const paths = [
        `/playlists/${playlist?.id}`,
        `/playlists/${playlist?.id}/items?offset=50&limit=50`,
        '/me/playlists',
        `/albums/${album?.id}`,
        `/artists/${album?.artistIds[0]}`,
        '/search?q=a&type=track,album&limit=10',
      ]
      const out: string[] = []
      for (const path of paths) {
        const res = await fetch(`${server.url}/v1${path}`, { headers: { authorization: `Bearer ${token}` } })
        expect(res.status).toBe(200)
        out.push(await res.text())
      }
      return out
    }
    const fromA = await bytes(a)
    expect(fromA).toEqual(await bytes(b))
    expect(fromA[1]).toContain('"next":null')
  })

  it('the snapshot id seen over HTTP changes after a mutation and is stable otherwise', async () => {
    const token = await getToken(a.url, 'user')
    const id = a.fake.catalog.playlists[0]?.id
    const snap = async () => {
      const res = await fetch(`${a.url}/v1/playlists/${id}?fields=snapshot_id`, {
        headers: { authorization: `Bearer ${token}` },
      })
      return (await res.json()) as Record<string, unknown>
    }
    const first = await snap()
    expect(Object.keys(first)).toEqual(['snapshot_id'])
    expect(await snap()).toEqual(first)
    const mutated = await fetch(`${a.url}/__fake/playlists/${id}/mutate`, { method: 'POST', body: '{}' })
    expect(mutated.status).toBe(200)
    expect(await snap()).not.toEqual(first)
  })
})
