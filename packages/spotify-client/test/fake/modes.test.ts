/** @module Tests of the development vs extended differences: names, paths, access rules, fields, limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BATCH_LIMITS, type FakePlaylist } from '../../src/fake/index.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { getJson, getToken, type Page } from './support/helpers.ts'

type Json = Record<string, unknown>
const SIZES = [12, 12, 12, 12]
const FORBIDDEN = { error: { status: 403, message: 'Forbidden' } }
const NOT_FOUND = { error: { status: 404, message: 'Resource not found' } }

describe('development vs extended mode', () => {
  let dev: RunningFakeSpotify
  let ext: RunningFakeSpotify
  const tokens = { dev: { user: '', app: '' }, ext: { user: '', app: '' } }
  const find = (server: RunningFakeSpotify, test: (p: FakePlaylist) => boolean): FakePlaylist => {
    const found = server.fake.catalog.playlists.find(test)
    if (!found) throw new Error('no such playlist')
    return found
  }
  const owned = (s: RunningFakeSpotify) => find(s, (p) => p.ownerId === s.fake.catalog.user.id && p.public)
  const others = (s: RunningFakeSpotify) => find(s, (p) => p.ownerId === 'other-user' && p.public)
  const collaborative = (s: RunningFakeSpotify) => find(s, (p) => p.collaborative)
  const editorial = (s: RunningFakeSpotify) => find(s, (p) => p.editorial)

  beforeAll(async () => {
    dev = await startFakeSpotify({ seed: 'modes', sizes: SIZES, mode: 'development' })
    ext = await startFakeSpotify({ seed: 'modes', sizes: SIZES, mode: 'extended' })
    tokens.dev = { user: await getToken(dev.url, 'user'), app: await getToken(dev.url, 'app') }
    tokens.ext = { user: await getToken(ext.url, 'user'), app: await getToken(ext.url, 'app') }
  })
  afterAll(async () => {
    await dev.close()
    await ext.close()
  })

  it('development: playlist uses `items`/`item`; extended: `tracks`/`track`', async () => {
    const d = await getJson(dev.url, tokens.dev.user, `/playlists/${owned(dev).id}`)
    expect(d.body).toHaveProperty('items.total', 12)
    expect(d.body).not.toHaveProperty('tracks')
    const dItems = (d.body.items as Page).items
    expect(dItems[0]).toHaveProperty('item.type', 'track')
    expect(dItems[0]).not.toHaveProperty('track')
    const e = await getJson(ext.url, tokens.ext.user, `/playlists/${owned(ext).id}`)
    expect(e.body).toHaveProperty('tracks.total', 12)
    expect(e.body).not.toHaveProperty('items')
    expect((e.body.tracks as Page).items[0]).toHaveProperty('track.type', 'track')
    const list = await getJson<Page>(dev.url, tokens.dev.user, '/me/playlists')
    expect(list.body.items[0]).toHaveProperty('items.total')
    const extList = await getJson<Page>(ext.url, tokens.ext.user, '/me/playlists')
    expect(extList.body.items[0]).toHaveProperty('tracks.total')
  })

  it('episodes come in track shape unless additional_types lists episode (both modes)', async () => {
    for (const [server, token, key] of [
      [dev, tokens.dev.user, 'item'],
      [ext, tokens.ext.user, 'track'],
    ] as const) {
      const playlist = owned(server)
      const at = playlist.entries.findIndex((e) => e.kind === 'episode')
      expect(at).toBeGreaterThanOrEqual(0)
      const path = `/playlists/${playlist.id}/items?limit=50`
      const plain = (await getJson<Page<Json>>(server.url, token, path)).body.items[at]?.[key]
      expect(plain).toMatchObject({ type: 'episode', track: true, album: { type: 'show' } })
      expect(plain).not.toHaveProperty('show')
      const typed = await getJson<Page<Json>>(server.url, token, `${path}&additional_types=track,episode`)
      expect(typed.body.items[at]?.[key]).toMatchObject({ type: 'episode', show: { type: 'show' } })
      expect(typed.body.next ?? '').toBe('')
      const embedded = await getJson(server.url, token, `/playlists/${playlist.id}?additional_types=episode`)
      const list = embedded.body[key === 'item' ? 'items' : 'tracks'] as Page<Json>
      expect(list.items[at]?.[key]).toHaveProperty('show')
    }
  })

  it('development: /playlists/{id}/tracks is removed (403); extended: /tracks and /items both work', async () => {
    const res = await getJson(dev.url, tokens.dev.user, `/playlists/${owned(dev).id}/tracks`)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(FORBIDDEN)
    expect((await getJson(ext.url, tokens.ext.user, `/playlists/${owned(ext).id}/tracks`)).status).toBe(200)
    expect((await getJson(ext.url, tokens.ext.user, `/playlists/${owned(ext).id}/items`)).status).toBe(200)
  })

  it('development: items only for the owner or a collaborator with a user token (403 otherwise)', async () => {
    const path = (p: FakePlaylist) => `/playlists/${p.id}/items`
    expect((await getJson(dev.url, tokens.dev.user, path(owned(dev)))).status).toBe(200)
    expect((await getJson(dev.url, tokens.dev.user, path(collaborative(dev)))).status).toBe(200)
    const notMine = await getJson(dev.url, tokens.dev.user, path(others(dev)))
    expect(notMine.status).toBe(403)
    expect(notMine.body).toEqual(FORBIDDEN)
    expect((await getJson(dev.url, tokens.dev.app, path(owned(dev)))).status).toBe(403)
    // The playlist itself stays readable, without its items.
    const meta = await getJson(dev.url, tokens.dev.user, `/playlists/${others(dev).id}`)
    expect(meta.status).toBe(200)
    expect(meta.body).not.toHaveProperty('items')
    expect(meta.body.snapshot_id).toBe(others(dev).snapshotId)
    // Extended quota: any public playlist, even with an app token.
    expect((await getJson(ext.url, tokens.ext.app, path(others(ext)))).status).toBe(200)
  })

  it('private playlists of others are 404 in both modes; editorial playlists are 404 only in development', async () => {
    const collab = (s: RunningFakeSpotify) => `/playlists/${collaborative(s).id}`
    expect(await getJson(dev.url, tokens.dev.app, collab(dev))).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    })
    expect((await getJson(ext.url, tokens.ext.app, collab(ext))).status).toBe(404)
    const ed = await getJson(dev.url, tokens.dev.user, `/playlists/${editorial(dev).id}`)
    expect(ed).toMatchObject({ status: 404, body: NOT_FOUND })
    expect((await getJson(dev.url, tokens.dev.user, `/playlists/${editorial(dev).id}/items`)).status).toBe(
      404,
    )
    const extEd = await getJson(ext.url, tokens.ext.app, `/playlists/${editorial(ext).id}`)
    expect(extEd.status).toBe(200)
    expect(extEd.body).toHaveProperty('owner.id', 'spotify')
    expect(String(extEd.body.id)).toMatch(/^37i9dQZF1/)
  })

  it('removed fields are absent in development and present in extended (external_ids stays)', async () => {
    const track = dev.fake.catalog.tracks.find((t) => t.relinked)
    if (!track) throw new Error('no relinked track')
    const d = (await getJson(dev.url, tokens.dev.app, `/tracks/${track.id}`)).body
    const e = (await getJson(ext.url, tokens.ext.app, `/tracks/${track.id}`)).body
    for (const field of ['popularity', 'available_markets', 'linked_from']) {
      expect(d).not.toHaveProperty(field)
      expect(e).toHaveProperty(field)
    }
    expect(d).toHaveProperty('external_ids.isrc', track.isrc)
    expect(d.album).not.toHaveProperty('available_markets')
    const album = dev.fake.catalog.albums[0]
    const dAlbum = (await getJson(dev.url, tokens.dev.app, `/albums/${album?.id}`)).body
    const eAlbum = (await getJson(ext.url, tokens.ext.app, `/albums/${album?.id}`)).body
    for (const field of ['label', 'popularity', 'available_markets']) {
      expect(dAlbum).not.toHaveProperty(field)
      expect(eAlbum).toHaveProperty(field)
    }
    const artistId = album?.artistIds[0]
    const dArtist = (await getJson(dev.url, tokens.dev.app, `/artists/${artistId}`)).body
    const eArtist = (await getJson(ext.url, tokens.ext.app, `/artists/${artistId}`)).body
    for (const field of ['followers', 'popularity', 'genres']) {
      expect(dArtist).not.toHaveProperty(field)
      expect(eArtist).toHaveProperty(field)
    }
    const dAlbums = await getJson<Page>(dev.url, tokens.dev.app, `/artists/${artistId}/albums?limit=10`)
    const eAlbums = await getJson<Page>(ext.url, tokens.ext.app, `/artists/${artistId}/albums?limit=10`)
    expect(dAlbums.body.items[0]).not.toHaveProperty('album_group')
    expect(eAlbums.body.items[0]).toHaveProperty('album_group')
  })

  it('batch endpoints: removed in development, limited to 50/50/20 ids in extended', async () => {
    const { catalog } = ext.fake
    const ids = (list: { id: string }[], n: number) =>
      list
        .slice(0, n)
        .map((x) => x.id)
        .join(',')
    for (const path of [`/tracks?ids=${ids(catalog.tracks, 2)}`, `/albums?ids=${ids(catalog.albums, 2)}`]) {
      expect(await getJson(dev.url, tokens.dev.app, path)).toMatchObject({ status: 403, body: FORBIDDEN })
    }
    expect((await getJson(dev.url, tokens.dev.app, `/artists?ids=${ids(catalog.artists, 2)}`)).status).toBe(
      403,
    )
    const cases = [
      ['tracks', catalog.tracks, BATCH_LIMITS.tracks],
      ['artists', catalog.artists, BATCH_LIMITS.artists],
      ['albums', catalog.albums, BATCH_LIMITS.albums],
    ] as const
    const pool = [...catalog.tracks, ...catalog.albums, ...catalog.artists]
    for (const [name, list, max] of cases) {
      const many = [...list, ...pool].slice(0, max + 1)
      const ok = await getJson<Json>(ext.url, tokens.ext.app, `/${name}?ids=${ids(many, max)}`)
      expect(ok.status).toBe(200)
      const got = ok.body[name] as (Json | null)[]
      expect(got).toHaveLength(max)
      // Ids of other kinds are unknown here: Spotify answers null in their place.
      expect(got.map((x) => x?.id ?? null)).toEqual(
        many.slice(0, max).map((x) => (list.includes(x as never) ? x.id : null)),
      )
      const tooMany = await getJson(ext.url, tokens.ext.app, `/${name}?ids=${ids(many, max + 1)}`)
      expect(tooMany.status).toBe(400)
    }
  })

  it('search and artist albums: limit max 10 in development, 50 in extended', async () => {
    expect((await getJson(dev.url, tokens.dev.app, '/search?q=a&type=track&limit=10')).status).toBe(200)
    expect((await getJson(dev.url, tokens.dev.app, '/search?q=a&type=track&limit=11')).status).toBe(400)
    expect((await getJson(ext.url, tokens.ext.app, '/search?q=a&type=track&limit=50')).status).toBe(200)
    const artist = dev.fake.catalog.artists[0]?.id
    expect((await getJson(dev.url, tokens.dev.app, `/artists/${artist}/albums?limit=11`)).status).toBe(400)
    expect((await getJson(ext.url, tokens.ext.app, `/artists/${artist}/albums?limit=11`)).status).toBe(200)
    const search = await getJson<Record<string, Page>>(
      dev.url,
      tokens.dev.app,
      '/search?q=mix&type=playlist,track',
    )
    expect(search.body.playlists?.total).toBe(
      dev.fake.catalog.playlists.filter((p) => /mix/i.test(p.name)).length,
    )
    expect(search.body.tracks?.limit).toBe(5)
  })

  it('GET /users/{id}/playlists: removed in development, public playlists of that user in extended', async () => {
    const res = await getJson(dev.url, tokens.dev.app, '/users/other-user/playlists')
    expect(res).toMatchObject({ status: 403, body: FORBIDDEN })
    const ok = await getJson<Page<Json>>(ext.url, tokens.ext.app, '/users/other-user/playlists')
    const expected = ext.fake.catalog.playlists.filter((p) => p.ownerId === 'other-user' && p.public)
    expect(ok.body.items.map((p) => p.id)).toEqual(expected.map((p) => p.id))
  })

  it('/me and /me/playlists need a user token', async () => {
    const me = await getJson(dev.url, tokens.dev.user, '/me')
    expect(me.body).toHaveProperty('id', dev.fake.catalog.user.id)
    const asApp = await getJson(dev.url, tokens.dev.app, '/me/playlists')
    expect(asApp).toMatchObject({ status: 401, body: { error: { status: 401 } } })
    const mine = await getJson<Page>(dev.url, tokens.dev.user, '/me/playlists?limit=50')
    expect(mine.body.total).toBe(dev.fake.catalog.playlists.length)
  })

  it('unknown ids are 404, malformed ids 400, unknown paths 404 "Service not found"', async () => {
    expect((await getJson(dev.url, tokens.dev.app, `/tracks/${'0'.repeat(22)}`)).status).toBe(404)
    expect((await getJson(dev.url, tokens.dev.app, '/tracks/not-an-id')).status).toBe(400)
    const unknown = await getJson(dev.url, tokens.dev.app, '/no-such-endpoint')
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { status: 404, message: 'Service not found' } },
    })
  })
})
