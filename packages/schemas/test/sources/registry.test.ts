import { describe, expect, it } from 'vitest'
import {
  ExtractUnitSchema,
  folderOwning,
  kindOfEndpoint,
  kindsOfFolder,
  LAKE_TABLE_NAMES,
  lakeKeys,
  lakeSources,
  parseRawKey,
  RAW_FOLDERS,
  RESPONSE_KINDS,
  rejectTableOfKind,
  sourceOfUnit,
  tablesOfFolder,
  tablesOfUnitKey,
  unitFolder,
  unitKey,
  unitRawName,
  unitTypeOfKey,
} from '../../src/index.ts'

describe('unit names', () => {
  it('gives stable keys, raw names and folders', () => {
    const p = { type: 'playlist' as const, playlistId: 'abc', offset: 100, part: 2 }
    expect([unitKey(p), unitRawName(p), unitFolder(p), sourceOfUnit(p)]).toEqual([
      'playlist:abc:2',
      'playlist-abc-p0002',
      'playlists',
      'playlists',
    ])
    const a = { type: 'albums' as const, ids: ['x'], batch: 7 }
    expect([unitKey(a), unitRawName(a), unitFolder(a), sourceOfUnit(a)]).toEqual([
      'albums:7',
      'albums-b00007',
      'albums',
      'catalog',
    ])
    const m = { type: 'my-playlists' as const, accountId: 'aB3dE5fG7h', userId: 'u' }
    expect([unitKey(m), unitRawName(m), unitFolder(m)]).toEqual([
      'my-playlists:aB3dE5fG7h',
      'my-playlists-aB3dE5fG7h',
      'playlists',
    ])
    const odd = { ...m, accountId: 'späß/user' }
    expect(unitRawName(odd)).toMatch(/^my-playlists-x[0-9a-f]{16}$/)
    const r = { type: 'recently-played' as const, accountId: 'aB3dE5fG7h' }
    expect([unitKey(r), unitRawName(r), unitFolder(r), sourceOfUnit(r)]).toEqual([
      'recently-played:aB3dE5fG7h',
      'recently-played-aB3dE5fG7h',
      'recently_played',
      'recently_played',
    ])
    const t = {
      type: 'top-items' as const,
      accountId: 'aB3dE5fG7h',
      itemType: 'artists' as const,
      timeRange: 'short_term' as const,
    }
    expect([unitKey(t), unitRawName(t), unitFolder(t), sourceOfUnit(t)]).toEqual([
      'top-items:aB3dE5fG7h:artists:short_term',
      'top-items-aB3dE5fG7h-artists-short_term',
      'top_items',
      'top_items',
    ])
    const f = { type: 'followed-artists' as const, accountId: 'aB3dE5fG7h', part: 3 }
    expect([unitKey(f), unitRawName(f), unitFolder(f), sourceOfUnit(f)]).toEqual([
      'followed-artists:aB3dE5fG7h:3',
      'followed-artists-aB3dE5fG7h-p0003',
      'followed_artists',
      'followed_artists',
    ])
    const s = { type: 'saved-tracks' as const, accountId: 'aB3dE5fG7h' }
    expect([unitKey(s), unitRawName(s), unitFolder(s), sourceOfUnit(s)]).toEqual([
      'saved-tracks:aB3dE5fG7h',
      'saved-tracks-aB3dE5fG7h',
      'saved_tracks',
      'saved_tracks',
    ])
    const sa = { type: 'saved-albums' as const, accountId: 'aB3dE5fG7h' }
    expect([unitKey(sa), unitRawName(sa), unitFolder(sa), sourceOfUnit(sa)]).toEqual([
      'saved-albums:aB3dE5fG7h',
      'saved-albums-aB3dE5fG7h',
      'saved_albums',
      'saved_albums',
    ])
  })

  it('parses a unit key back to its type, and its type to the tables it can write', () => {
    expect(unitTypeOfKey('playlist:abc:2')).toBe('playlist')
    expect(unitTypeOfKey('my-playlists:a1')).toBe('my-playlists')
    expect(unitTypeOfKey('artists:3')).toBe('artists')
    expect(unitTypeOfKey('nothing:3')).toBeNull()
    expect(tablesOfUnitKey('artists:3')).toEqual(['artists'])
    expect(tablesOfUnitKey('playlist:abc:0')).toContain('playlist_items')
    expect(unitTypeOfKey('recently-played:aB3dE5fG7h')).toBe('recently-played')
    expect(tablesOfUnitKey('recently-played:aB3dE5fG7h')).toEqual(['plays', 'tracks', 'albums', 'artists'])
    expect(kindOfEndpoint('/me/player/recently-played')).toBe('recently-played')
    expect(kindOfEndpoint('/v1/me/player/recently-played')).toBe('recently-played')
    expect(tablesOfUnitKey('top-items:a1:tracks:long_term')).toEqual([
      'top_tracks',
      'top_artists',
      'tracks',
      'albums',
      'artists',
    ])
    expect(tablesOfUnitKey('saved-tracks:aB3dE5fG7h')).toEqual([
      'saved_tracks',
      'tracks',
      'albums',
      'artists',
    ])
    expect(tablesOfUnitKey('followed-artists:a1:0')).toEqual(['followed_artists', 'artists'])
    expect(kindOfEndpoint('/v1/me/top/tracks')).toBe('top-tracks')
    expect(kindOfEndpoint('/me/top/artists')).toBe('top-artists')
    expect(kindOfEndpoint('/v1/me/following', { type: 'artist' })).toBe('followed-artists')
    expect(tablesOfUnitKey('saved-albums:aB3dE5fG7h')).toEqual(['saved_albums', 'albums', 'artists'])
    expect(kindOfEndpoint('/v1/me/tracks')).toBe('saved-tracks')
    expect(kindOfEndpoint('/me/albums')).toBe('saved-albums')
    expect(kindOfEndpoint('/v1/me/shows')).toBe('saved-shows')
    expect(kindOfEndpoint('/me/episodes')).toBe('saved-episodes')
    expect(tablesOfUnitKey('saved-shows:aB3dE5fG7h')).toEqual(['saved_shows'])
    expect(unitRawName({ type: 'saved-episodes', accountId: 'aB3dE5fG7h' })).toBe('saved-episodes-aB3dE5fG7h')
  })
})

describe('the registry', () => {
  it('has a resource for every unit type the unit schema accepts, and one source per resource', () => {
    const types = ExtractUnitSchema.options.map((o) => o.shape.type.value)
    const resources = lakeSources.flatMap((s) => s.resources.map((r) => r.type))
    expect([...resources].sort()).toEqual([...types].sort())
    expect(new Set(resources).size).toBe(resources.length)
  })

  it('names only real tables, and every response kind lives in exactly one folder', () => {
    const held = RAW_FOLDERS.flatMap((f) => kindsOfFolder(f))
    expect([...held].sort()).toEqual([...RESPONSE_KINDS].sort())
    for (const folder of RAW_FOLDERS) {
      for (const table of tablesOfFolder(folder)) expect(LAKE_TABLE_NAMES).toContain(table)
    }
    for (const kind of RESPONSE_KINDS) expect(LAKE_TABLE_NAMES).toContain(rejectTableOfKind(kind))
  })

  it('tells response kinds by endpoint, the snapshot check by its query', () => {
    expect(kindOfEndpoint('/playlists/{id}/items')).toBe('playlist-items')
    expect(kindOfEndpoint('/v1/playlists/abc/tracks')).toBe('playlist-items')
    expect(kindOfEndpoint('/playlists/{id}')).toBe('playlist')
    expect(kindOfEndpoint('/playlists/{id}', { fields: 'snapshot_id' })).toBe('playlist-snapshot')
    expect(kindOfEndpoint('/me/playlists')).toBe('playlists-list')
    expect(kindOfEndpoint('/users/u1/playlists')).toBe('playlists-list')
    expect(kindOfEndpoint('/albums')).toBe('several-albums')
    expect(kindOfEndpoint('/albums/{id}')).toBe('album')
    expect(kindOfEndpoint('/me/player/currently-playing')).toBeNull()
  })
})

describe('raw keys', () => {
  it('parses what it builds, and nothing else', () => {
    const parts = {
      source: 'albums' as const,
      dt: '2026-11-21',
      runId: '20261121T010203456Z-abc123',
      unit: 'albums-b00001',
    }
    expect(parseRawKey(lakeKeys.raw(parts))).toEqual(parts)
    expect(parseRawKey('raw/elsewhere/dt=2026-11-21/20261121T010203456Z-abc123/x.json.gz')).toBeNull()
    expect(parseRawKey('staging/albums/dt=2026-11-21/20261121T010203456Z-abc123/x.parquet')).toBeNull()
    expect(parseRawKey(`${lakeKeys.rawRunPrefix(parts)}sub/x.json.gz`)).toBeNull()
  })
})

describe('owned tables', () => {
  it('gives every data table exactly one raw folder that describes its entities in full', () => {
    for (const table of LAKE_TABLE_NAMES) {
      const folders = lakeSources.flatMap((s): readonly { owns: readonly string[] }[] => s.folders)
      const owners = folders.filter((f) => f.owns.includes(table))
      expect(owners, table).toHaveLength(1)
    }
    expect(folderOwning('albums')).toBe('albums')
    expect(folderOwning('playlist_items')).toBe('playlists')
  })
})
