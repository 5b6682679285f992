/** @module The fake's `fields=` projection: the parser against a recorded real projection, then over HTTP in both modes. */
import { recorded } from '@spotify-lake/spotify-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyFields, parseFields, projectFields } from '../../src/fake/fields.ts'
import type { FakePlaylist } from '../../src/fake/index.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { getJson, getToken } from './support/helpers.ts'

type Json = Record<string, unknown>
/** zmb3's recorded playlist and its `fields=` projection are the oracle of what the fake's projector makes. */
const fixture = (name: string): Json => recorded<Json>(name)

/** The key structure of a value: objects by sorted keys, lists by the one shape all their elements share. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    const shapes = [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))]
    if (shapes.length > 1) throw new Error(`mixed list: ${shapes.join(' | ')}`)
    return [shapes[0] === undefined ? null : JSON.parse(shapes[0])]
  }
  if (typeof value !== 'object' || value === null) return 'value'
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, shapeOf((value as Json)[k])]),
  )
}

describe('fields= parser', () => {
  it("projects a full recorded playlist into the shape of Spotify's recorded projection", () => {
    // Spotify answered this `fields=` with the object recorded in playlist-fields--zmb3--get_playlist_opt.
    const fields =
      'href,name,owner(!href,external_urls),tracks.items(added_by.id,track(name,href,album(name,href)))'
    const projected = projectFields(fixture('playlist--zmb3--get_playlist'), fields)
    expect(shapeOf(projected)).toEqual(shapeOf(fixture('playlist-fields--zmb3--get_playlist_opt')))
    expect(Object.keys(projected.owner as Json).sort()).toEqual(['display_name', 'id', 'type', 'uri'])
  })

  it('keeps nested totals by dot path and merges paths with a shared prefix', () => {
    const body = {
      id: 'p',
      name: 'n',
      tracks: { href: 'h', total: 7, items: [{ a: 1 }], limit: 100 },
      owner: { id: 'u', display_name: 'U' },
    }
    expect(projectFields(body, 'id,tracks.total')).toEqual({ id: 'p', tracks: { total: 7 } })
    expect(projectFields(body, 'tracks.total,tracks.href, owner.id')).toEqual({
      tracks: { total: 7, href: 'h' },
      owner: { id: 'u' },
    })
    // A whole field asked for beside one of its parts stays whole; absent names are left out.
    expect(projectFields(body, 'owner,owner.id,items.total')).toEqual({ owner: body.owner })
    expect(applyFields([{ a: 1, b: 2 }, { a: 3 }], parseFields('a'))).toEqual([{ a: 1 }, { a: 3 }])
    expect(projectFields(body, 'tracks(!items,limit)')).toEqual({ tracks: { href: 'h', total: 7 } })
    expect(projectFields(body, null)).toBe(body)
  })

  it('refuses what is not the syntax with a 400', () => {
    for (const bad of ['tracks.', 'tracks(total', 'a,,b', 'tracks)total', '(a)', 'a.(b)'])
      expect(() => parseFields(bad), bad).toThrow(expect.objectContaining({ status: 400 }))
  })
})

describe('fields= over HTTP', () => {
  let dev: RunningFakeSpotify
  let ext: RunningFakeSpotify
  const owned = (s: RunningFakeSpotify): FakePlaylist => {
    const found = s.fake.catalog.playlists.find((p) => p.ownerId === s.fake.catalog.user.id)
    if (!found) throw new Error('no owned playlist')
    return found
  }

  beforeAll(async () => {
    dev = await startFakeSpotify({ seed: 'fields', sizes: [12, 3], mode: 'development' })
    ext = await startFakeSpotify({ seed: 'fields', sizes: [12, 3], mode: 'extended' })
  })
  afterAll(async () => {
    await dev.close()
    await ext.close()
  })

  it("answers a playlist's metadata with its item total, under the mode's name", async () => {
    for (const [server, list] of [
      [dev, 'items'],
      [ext, 'tracks'],
    ] as const) {
      const token = await getToken(server.url, 'user')
      const playlist = owned(server)
      const res = await getJson(
        server.url,
        token,
        `/playlists/${playlist.id}?fields=id,snapshot_id,${list}.total`,
      )
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ id: playlist.id, snapshot_id: playlist.snapshotId, [list]: { total: 12 } })
    }
  })

  it('projects item pages element-wise and answers 400 to a malformed projection', async () => {
    const token = await getToken(dev.url, 'user')
    const id = owned(dev).id
    const page = await getJson<{ total: number; items: Json[] }>(
      dev.url,
      token,
      `/playlists/${id}/items?limit=3&fields=total,items(added_at,item.type)`,
    )
    expect(page.body.total).toBe(12)
    expect(page.body.items).toHaveLength(3)
    for (const entry of page.body.items) {
      expect(Object.keys(entry).sort()).toEqual(['added_at', 'item'])
      expect(Object.keys(entry.item as Json)).toEqual(['type'])
    }
    const bad = await getJson(dev.url, token, `/playlists/${id}?fields=items(total`)
    expect(bad).toMatchObject({ status: 400, body: { error: { status: 400, message: 'Invalid fields' } } })
  })
})
