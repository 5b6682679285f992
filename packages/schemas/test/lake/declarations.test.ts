/** @module Lake table declarations: keys, lineage, names, and row schemas that accept and reject. */
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  AlbumRowSchema,
  ArtistRowSchema,
  col,
  defineTable,
  isLakeTableName,
  LAKE_COLUMN_TYPES,
  LAKE_TABLE_NAMES,
  lakeTable,
  lakeTables,
  type PlaylistItemRow,
  PlaylistItemRowSchema,
  type PlaylistRow,
  PlaylistRowSchema,
  playlistItemsTable,
  primaryKeyOf,
  type TrackRow,
  TrackRowSchema,
  tracksTable,
} from '../../src/lake/index.ts'
import { sampleRows } from './support/sample-rows.ts'

const SNAKE_CASE = /^_?[a-z][a-z0-9]*(_[a-z0-9]+)*$/

describe('lake table registry', () => {
  it('holds the five v1 tables, the account link table, plays, the user snapshots and the saved library with the keys of the design', () => {
    expect(Object.fromEntries(lakeTables.map((t) => [t.name, t.primaryKey]))).toEqual({
      playlists: ['playlist_id'],
      playlist_items: ['playlist_id', 'position'],
      tracks: ['track_id'],
      albums: ['album_id'],
      artists: ['artist_id'],
      account_playlists: ['account_id', 'playlist_id'],
      plays: ['account_id', 'played_at', 'play_key'],
      top_tracks: ['account_id', 'time_range', 'rank'],
      top_artists: ['account_id', 'time_range', 'rank'],
      followed_artists: ['account_id', 'artist_id'],
      saved_tracks: ['account_id', 'track_id', 'added_at'],
      saved_albums: ['account_id', 'album_id', 'added_at'],
      saved_shows: ['account_id', 'show_id', 'added_at'],
      saved_episodes: ['account_id', 'episode_id', 'added_at'],
    })
    expect(LAKE_TABLE_NAMES).toEqual(lakeTables.map((t) => t.name))
  })

  it('finds tables by name and explains unknown names', () => {
    expect(lakeTable('tracks').name).toBe('tracks')
    expect(isLakeTableName('albums')).toBe(true)
    expect(isLakeTableName('episodes')).toBe(false)
    expect(() => lakeTable('episodes')).toThrow(
      /unknown lake table "episodes"; valid tables: playlists, playlist_items/,
    )
  })

  it('exports each row schema as the table row schema', () => {
    expect(lakeTable('playlists').rowSchema).toBe(PlaylistRowSchema)
    expect(lakeTable('playlist_items').rowSchema).toBe(PlaylistItemRowSchema)
    expect(lakeTable('tracks').rowSchema).toBe(TrackRowSchema)
    expect(lakeTable('albums').rowSchema).toBe(AlbumRowSchema)
    expect(lakeTable('artists').rowSchema).toBe(ArtistRowSchema)
  })
})

describe.each(lakeTables.map((t) => [t.name, t] as const))('table %s', (_name, table) => {
  const names = table.columns.map((c) => c.name)

  it('has primary key columns that are declared and not nullable', () => {
    for (const key of table.primaryKey) {
      expect(table.columns.find((c) => c.name === key)).toMatchObject({ nullable: false })
    }
  })

  it('ends with the lineage columns and has no dt column inside files', () => {
    expect(table.columns.slice(-2)).toMatchObject([
      { name: '_run_id', type: 'string', nullable: false },
      { name: '_extracted_at', type: 'timestamp', nullable: false },
    ])
    expect(names).not.toContain('dt')
    expect(table.partitionKey).toBe('dt')
  })

  it('has snake_case, unique, described columns of known types', () => {
    expect(table.name).toMatch(SNAKE_CASE)
    expect(new Set(names).size).toBe(names.length)
    for (const column of table.columns) {
      expect(column.name).toMatch(SNAKE_CASE)
      expect(LAKE_COLUMN_TYPES).toContain(column.type)
      expect(column.description.length).toBeGreaterThan(3)
    }
  })

  it('has a row schema over exactly the declared columns', () => {
    expect(Object.keys(table.rowSchema.shape)).toEqual(names)
  })

  it('accepts the sample rows unchanged', () => {
    for (const row of sampleRows[table.name]) expect(table.rowSchema.parse(row)).toEqual(row)
  })

  it('rejects a missing required value, a wrong type, and an unknown key', () => {
    const row = sampleRows[table.name][0]!
    const required = table.columns.find((c) => !c.nullable && c.type === 'string')!
    const { [required.name]: _dropped, ...missing } = row
    expect(table.rowSchema.safeParse(missing).success).toBe(false)
    expect(table.rowSchema.safeParse({ ...row, [required.name]: 42 }).success).toBe(false)
    expect(table.rowSchema.safeParse({ ...row, _extracted_at: 'yesterday' }).success).toBe(false)
    expect(table.rowSchema.safeParse({ ...row, dt: '2026-11-21' }).success).toBe(false)
  })

  it('rejects null in a required column and accepts it in a nullable one', () => {
    const row = sampleRows[table.name][0]!
    for (const column of table.columns) {
      expect(table.rowSchema.safeParse({ ...row, [column.name]: null }).success).toBe(column.nullable)
    }
  })
})

describe('column value rules', () => {
  const row = sampleRows.playlist_items[0]!

  it('turns ISO timestamps with an offset into Dates and rejects ones without', () => {
    const parsed = PlaylistItemRowSchema.parse({ ...row, added_at: '2015-01-15T12:39:22Z' })
    expect(parsed.added_at).toEqual(new Date('2015-01-15T12:39:22Z'))
    expect(PlaylistItemRowSchema.safeParse({ ...row, added_at: '2015-01-15T12:39:22' }).success).toBe(false)
    expect(PlaylistItemRowSchema.safeParse({ ...row, added_at: new Date('nope') }).success).toBe(false)
  })

  it('keeps enum-like strings closed, integers whole and lists of the element type', () => {
    expect(PlaylistItemRowSchema.safeParse({ ...row, item_type: 'audiobook' }).success).toBe(false)
    expect(PlaylistItemRowSchema.safeParse({ ...row, position: 1.5 }).success).toBe(false)
    expect(PlaylistItemRowSchema.safeParse({ ...row, position: 2 ** 31 }).success).toBe(false)
    expect(PlaylistItemRowSchema.safeParse({ ...row, artist_ids: [null] }).success).toBe(false)
    expect(PlaylistItemRowSchema.safeParse({ ...row, artist_ids: 'a,b' }).success).toBe(false)
    expect(
      AlbumRowSchema.safeParse({ ...sampleRows.albums[0], release_date_precision: 'week' }).success,
    ).toBe(false)
    expect(ArtistRowSchema.safeParse({ ...sampleRows.artists[0], followers: 2 ** 53 }).success).toBe(false)
  })
})

describe('defineTable', () => {
  const columns = { id: col.string({ description: 'id' }) }

  it('refuses declarations that would break a target', () => {
    expect(() => defineTable({ name: 'Bad-Name', description: 'x', columns, primaryKey: ['id'] })).toThrow(
      /snake_case/,
    )
    expect(() =>
      defineTable({
        name: 't',
        description: 'x',
        columns: { ...columns, dt: col.string({ description: 'd' }) },
        primaryKey: ['id'],
      }),
    ).toThrow(/partition key/)
    expect(() =>
      defineTable({
        name: 't',
        description: 'x',
        columns: { ...columns, _run_id: col.string({ description: 'r' }) },
        primaryKey: ['id'],
      }),
    ).toThrow(/added to every table/)
    expect(() =>
      defineTable({
        name: 't',
        description: 'x',
        columns: { ...columns, camelCase: col.string({ description: 'c' }) },
        primaryKey: ['id'],
      }),
    ).toThrow(/snake_case: camelCase/)
    expect(() => defineTable({ name: 't', description: 'x', columns, primaryKey: [] })).toThrow(
      /at least one/,
    )
    expect(() =>
      defineTable({
        name: 't',
        description: 'x',
        columns: { id: col.string({ nullable: true, description: 'id' }) },
        primaryKey: ['id'],
      }),
    ).toThrow(/must not be nullable/)
  })

  it('keeps declared order and appends lineage', () => {
    const table = defineTable({
      name: 't',
      description: 'x',
      columns: {
        b: col.int32({ description: 'b' }),
        a: col.list.string({ nullable: true, description: 'a' }),
      },
      primaryKey: ['b'],
    })
    expect(table.columns).toEqual([
      { name: 'b', type: 'int32', nullable: false, description: 'b' },
      { name: 'a', type: 'list<string>', nullable: true, description: 'a' },
      { name: '_run_id', type: 'string', nullable: false, description: expect.any(String) },
      { name: '_extracted_at', type: 'timestamp', nullable: false, description: expect.any(String) },
    ])
  })
})

describe('row types inferred from the declarations', () => {
  it('carry each column type and nullability', () => {
    expectTypeOf<TrackRow['track_id']>().toEqualTypeOf<string>()
    expectTypeOf<TrackRow['popularity']>().toEqualTypeOf<number | null>()
    expectTypeOf<TrackRow['artist_ids']>().toEqualTypeOf<string[] | null>()
    expectTypeOf<TrackRow['_extracted_at']>().toEqualTypeOf<Date>()
    expectTypeOf<PlaylistItemRow['added_at']>().toEqualTypeOf<Date | null>()
    expectTypeOf<PlaylistItemRow['item_type']>().toEqualTypeOf<
      'track' | 'episode' | 'local' | 'unavailable'
    >()
    expectTypeOf<PlaylistRow['followers']>().toEqualTypeOf<number | null>()
    expectTypeOf(lakeTable('tracks')).toEqualTypeOf(tracksTable)
    expectTypeOf(tracksTable.primaryKey).toEqualTypeOf<readonly (keyof TrackRow)[]>()
  })
})

describe('primaryKeyOf', () => {
  const playsKey = ['account_id', 'played_at', 'play_key'] as const
  const row = sampleRows.playlist_items[0]!

  it('is equal for equal keys and differs when any key part differs', () => {
    expect(primaryKeyOf(row, playlistItemsTable.primaryKey)).toBe(
      primaryKeyOf({ ...row, item_name: 'other' }, playlistItemsTable.primaryKey),
    )
    expect(primaryKeyOf(row, playlistItemsTable.primaryKey)).not.toBe(
      primaryKeyOf({ ...row, position: 1 }, playlistItemsTable.primaryKey),
    )
    expect(primaryKeyOf({ playlist_id: 'a', position: 12 }, playlistItemsTable.primaryKey)).not.toBe(
      primaryKeyOf({ playlist_id: 'a1', position: 2 }, playlistItemsTable.primaryKey),
    )
    expect(primaryKeyOf({ track_id: 'a,b' }, tracksTable.primaryKey)).not.toBe(
      primaryKeyOf({ track_id: 'a' }, tracksTable.primaryKey),
    )
  })

  it('keys a timestamp to the millisecond', () => {
    const key = (ms: number) =>
      primaryKeyOf({ account_id: 'a', played_at: new Date(ms), play_key: 't' }, playsKey)
    expect(key(1_700_000_000_000)).not.toBe(key(1_700_000_000_001))
    expect(key(1_700_000_000_000)).toBe(key(1_700_000_000_000))
  })

  it('refuses a row without its key', () => {
    expect(() => primaryKeyOf({ ...row, position: null }, playlistItemsTable.primaryKey)).toThrow(
      /no value for key position/,
    )
  })
})
