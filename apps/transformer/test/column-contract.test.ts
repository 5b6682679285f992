/**
 * @module Each column against the OpenAPI description, in both payload shapes.
 *
 * The payload paths that feed each column are derived, not declared: from an instance generated from
 * the OpenAPI response schema (every property filled), each path is removed (or nulled) in turn and
 * the columns that change are the ones it feeds. Then: a column fed by a path the description lets
 * Spotify leave out (optional, nullable or deprecated: removed for development-mode apps) is nullable;
 * removing all of a column's paths leaves null, never a default; a path whose absence rejects the
 * record is its identity (the primary key) or a list element (lists hold no nulls), and the reject
 * names it; and a path that feeds no column never rejects, whatever it holds.
 */

import { isDeepStrictEqual } from 'node:util'
import { type LakeTableName, lakeTable } from '@spotify-lake/schemas'
import {
  generateInstance,
  type JsonSchema,
  loadOpenApi,
  responseSchema,
} from '@spotify-lake/schemas/contract'
import { describe, expect, it } from 'vitest'
import type { Row, TransformOutput } from '../src/normalize/collector.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, RUN_ID } from './support/fixtures.ts'
import {
  allPaths,
  edit,
  formatKeys,
  getAt,
  type Path,
  pathContract,
  schemaAt,
} from './support/openapi-paths.ts'

const doc = loadOpenApi()

interface Case {
  name: string
  table: LakeTableName
  /** The response body (an OpenAPI-generated instance, shaped). */
  body: unknown
  endpoint: string
  /** Where the record sits inside the body. */
  record: Path
  /** The row of that record in the output, if any. */
  rowOf: (out: TransformOutput) => Row | undefined
  /** Paths read only to tell kinds of content apart (they feed `item_type` through their value). */
  discriminators?: string[]
  /** Paths of a record's identity besides `id` (its primary key), whose absence rejects it. */
  identity?: string[]
}

const instance = (path: string, arrayLength: 1 | 2 = 1) =>
  withTwoImages(generateInstance({ doc, schema: responseSchema({ doc, method: 'get', path }), arrayLength }))

const byKey = (table: LakeTableName, key: Record<string, unknown>) => (out: TransformOutput) =>
  out[table].rows.find((r) => Object.entries(key).every(([k, v]) => r[k] === v))

type Json = Record<string, unknown>

function playlistInShape(shape: '2026' | 'legacy'): Json {
  const body = instance('/playlists/{playlist_id}') as Json
  delete body[shape === '2026' ? 'tracks' : 'items']
  return body
}

/** An account's playlist listing whose entry names its items ref `items` (2026) or `tracks` (legacy). */
function listingInShape(shape: '2026' | 'legacy'): Json {
  const listing = instance('/me/playlists') as Json & { items: Json[] }
  for (const entry of listing.items) delete entry[shape === '2026' ? 'tracks' : 'items']
  return listing
}

/** A page with a track (entry 0), an episode (entry 1) and a local file (entry 2), content under one key. */
function pageInShape(shape: '2026' | 'legacy'): Json {
  const page = instance('/playlists/{playlist_id}/tracks', 2) as Json & { items: Json[] }
  page.href = 'https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items?offset=0&limit=50'
  const local = structuredClone(page.items[0]!) as Json & { item: Json }
  local.item = { ...local.item, is_local: true, uri: 'spotify:local:Artist:Album:Title:180' }
  page.items.push(local)
  for (const entry of page.items) {
    const content = entry.item
    delete entry.item
    delete entry.track
    entry[shape === '2026' ? 'item' : 'track'] = content
  }
  return page
}

const PLAYLIST_ID = '3cEYpjA9oz9GiPac4AsH4n'

const cases: Case[] = [
  {
    name: 'tracks: GET /tracks/{id}',
    table: 'tracks',
    body: instance('/tracks/{id}'),
    endpoint: '/tracks/{id}',
    record: [],
    rowOf: (out) => out.tracks.rows[0],
  },
  {
    name: 'albums: GET /albums/{id}',
    table: 'albums',
    body: instance('/albums/{id}'),
    endpoint: '/albums/{id}',
    record: [],
    rowOf: (out) => out.albums.rows[0],
  },
  {
    name: "albums: a track's simplified album",
    table: 'albums',
    body: instance('/tracks/{id}'),
    endpoint: '/tracks/{id}',
    record: ['album'],
    rowOf: (out) => out.albums.rows[0],
  },
  {
    name: 'artists: GET /artists/{id}',
    table: 'artists',
    body: instance('/artists/{id}'),
    endpoint: '/artists/{id}',
    record: [],
    rowOf: (out) => out.artists.rows[0],
  },
  ...(['2026', 'legacy'] as const).flatMap((shape): Case[] => [
    {
      name: `playlists: GET /playlists/{id} (${shape} shape)`,
      table: 'playlists',
      body: playlistInShape(shape),
      endpoint: '/playlists/{playlist_id}',
      record: [],
      rowOf: (out) => out.playlists.rows[0],
    },
    ...[0, 1, 2].map(
      (position): Case => ({
        name: `playlist_items: a ${['track', 'episode', 'local file'][position]} entry (${shape} shape)`,
        table: 'playlist_items',
        body: pageInShape(shape),
        endpoint: '/playlists/{playlist_id}/tracks',
        record: ['items', position],
        rowOf: byKey('playlist_items', { playlist_id: PLAYLIST_ID, position }),
        // Read to tell the kinds apart (`is_local` of the entry: for a removed local file).
        discriminators: [
          'is_local',
          `${shape === '2026' ? 'item' : 'track'}.type`,
          `${shape === '2026' ? 'item' : 'track'}.is_local`,
        ],
      }),
    ),
  ]),
  ...(['2026', 'legacy'] as const).map(
    (shape): Case => ({
      name: `account_playlists: an entry of an account's GET /me/playlists (${shape} shape)`,
      table: 'account_playlists',
      body: listingInShape(shape),
      endpoint: '/me/playlists',
      record: ['items', 0],
      rowOf: (out) => out.account_playlists.rows[0],
    }),
  ),
  {
    name: 'plays: an item of GET /me/player/recently-played',
    table: 'plays',
    body: instance('/me/player/recently-played'),
    endpoint: '/me/player/recently-played',
    record: ['items', 0],
    rowOf: (out) => out.plays.rows[0],
    // A play is its time and its track: the OpenAPI description marks neither required.
    identity: ['played_at', 'track', 'track.id'],
  },
  {
    name: 'top_tracks: an item of GET /me/top/tracks',
    table: 'top_tracks',
    body: instance('/me/top/tracks'),
    endpoint: '/me/top/tracks',
    record: ['items', 0],
    rowOf: (out) => out.top_tracks.rows[0],
  },
  {
    name: 'top_artists: an item of GET /me/top/artists',
    table: 'top_artists',
    body: instance('/me/top/artists'),
    endpoint: '/me/top/artists',
    record: ['items', 0],
    rowOf: (out) => out.top_artists.rows[0],
  },
  {
    name: 'followed_artists: an item of GET /me/following?type=artist',
    table: 'followed_artists',
    body: instance('/me/following'),
    endpoint: '/me/following',
    record: ['artists', 'items', 0],
    rowOf: (out) => out.followed_artists.rows[0],
  },
  {
    name: 'saved_tracks: an item of GET /me/tracks',
    table: 'saved_tracks',
    body: instance('/me/tracks'),
    endpoint: '/me/tracks',
    record: ['items', 0],
    rowOf: (out) => out.saved_tracks.rows[0],
    // A holding is when it was saved and what: the OpenAPI description marks neither required.
    identity: ['added_at', 'track', 'track.id'],
  },
  {
    name: 'saved_albums: an item of GET /me/albums',
    table: 'saved_albums',
    body: instance('/me/albums'),
    endpoint: '/me/albums',
    record: ['items', 0],
    rowOf: (out) => out.saved_albums.rows[0],
    identity: ['added_at', 'album', 'album.id'],
  },
  {
    name: 'saved_shows: an item of GET /me/shows',
    table: 'saved_shows',
    body: instance('/me/shows'),
    endpoint: '/me/shows',
    record: ['items', 0],
    rowOf: (out) => out.saved_shows.rows[0],
    identity: ['added_at', 'show', 'show.id'],
  },
  {
    name: 'saved_episodes: an item of GET /me/episodes',
    table: 'saved_episodes',
    body: instance('/me/episodes'),
    endpoint: '/me/episodes',
    record: ['items', 0],
    rowOf: (out) => out.saved_episodes.rows[0],
    identity: ['added_at', 'episode', 'episode.id'],
  },
]

/** The folder and unit a saved-library endpoint's responses are stored under (nothing held before). */
const SAVED_UNITS = {
  '/me/tracks': { source: 'saved_tracks', unit: { type: 'saved-tracks', accountId: 'aB3dE5fG7h' } },
  '/me/albums': { source: 'saved_albums', unit: { type: 'saved-albums', accountId: 'aB3dE5fG7h' } },
  '/me/shows': { source: 'saved_shows', unit: { type: 'saved-shows', accountId: 'aB3dE5fG7h' } },
  '/me/episodes': { source: 'saved_episodes', unit: { type: 'saved-episodes', accountId: 'aB3dE5fG7h' } },
} as const

/** Through a raw envelope, as the extractor stores it: the endpoint, not the body's shape, names the kind. */
async function transform(body: unknown, endpoint: string): Promise<TransformOutput> {
  if (endpoint in SAVED_UNITS) {
    const { source, unit } = SAVED_UNITS[endpoint as keyof typeof SAVED_UNITS]
    const raw = envelope({ source, unit, responses: [{ endpoint, body }] })
    const bytes = Buffer.from(JSON.stringify(raw))
    const name = `raw/${source}/dt=${DT}/${RUN_ID}/contract.json`
    return (await transformRaw({ bytes, name, expect: { runId: RUN_ID, dt: DT, source } })).output
  }
  const accountId = 'aB3dE5fG7h'
  const source =
    endpoint.startsWith('/playlists') || endpoint === '/me/playlists'
      ? 'playlists'
      : endpoint.startsWith('/me/player/recently-played')
        ? 'recently_played'
        : endpoint.startsWith('/me/top/')
          ? 'top_items'
          : endpoint.startsWith('/me/following')
            ? 'followed_artists'
            : (endpoint.split('/')[1] as 'tracks')
  const unit =
    endpoint === '/me/playlists'
      ? ({ type: 'my-playlists', accountId, userId: 'listingUser' } as const)
      : source === 'playlists'
        ? ({ type: 'playlist', playlistId: PLAYLIST_ID, offset: 0, part: 0 } as const)
        : source === 'recently_played'
          ? ({ type: 'recently-played', accountId } as const)
          : source === 'top_items'
            ? ({
                type: 'top-items',
                accountId,
                itemType: endpoint.endsWith('/artists') ? 'artists' : 'tracks',
                timeRange: 'short_term',
              } as const)
            : source === 'followed_artists'
              ? ({ type: 'followed-artists', accountId, part: 0 } as const)
              : { type: source, ids: ['x'], batch: 0 }
  const raw = envelope({ source, unit, responses: [{ endpoint, body }] })
  const name = `raw/${source}/dt=${DT}/${RUN_ID}/contract.json`
  const bytes = Buffer.from(JSON.stringify(raw))
  return (await transformRaw({ bytes, name, expect: { runId: RUN_ID, dt: DT, source } })).output
}

/** Two images of different sizes wherever the instance has images, so the largest-image rule reads every field. */
function withTwoImages<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withTwoImages) as T
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'images' && Array.isArray(v)
        ? [
            { url: 'https://i.scdn.co/image/small', height: 64, width: 64 },
            { url: 'https://i.scdn.co/image/large', height: 640, width: 640 },
          ]
        : withTwoImages(v)
  }
  return out as T
}

/**
 * Columns the pipeline derives rather than copies: what kind of content sits at a position (absence
 * is the kind `unavailable`) and whether it is a local file. Never null by design.
 */
const DERIVED: Partial<Record<LakeTableName, string[]>> = { playlist_items: ['item_type', 'is_local'] }

function changedColumns(table: LakeTableName, before: Row, after: Row): string[] {
  return lakeTable(table)
    .columns.map((c) => c.name)
    .filter((c) => !isDeepStrictEqual(before[c], after[c]))
}

describe.each(cases)(
  '$name',
  ({ table, body, endpoint, record, rowOf, discriminators = [], identity: keys = [] }) => {
    const recordSchema: JsonSchema = schemaAt({
      doc,
      schema: responseSchema({ doc, method: 'get', path: endpoint }),
      path: record,
      instance: body,
    })
    const recordValue = getAt(body, record)
    const columns = lakeTable(table).columns

    it('derives the paths that feed each column and holds them to the description', async () => {
      const baseline = await transform(body, endpoint)
      expect(baseline[table].rejects).toEqual([])
      const row = rowOf(baseline)!
      expect(row).toBeDefined()

      const feeds = new Map<string, Path[]>()
      const identity: Path[] = []
      const unread: Path[] = []
      for (const path of allPaths(recordValue)) {
        const full = [...record, ...path]
        // An array element cannot be left out without moving the others: null stands for its absence.
        const mutated =
          typeof path.at(-1) === 'number'
            ? edit(body, full, { set: null })
            : edit(body, full, { remove: true })
        const out = await transform(mutated, endpoint)
        const after = rowOf(out)
        if (!after) {
          identity.push(path)
          // The reject names the path that failed (inside the record), with the value found there.
          expect(out[table].rejects.map((r) => r.detail)).toContainEqual(
            expect.stringContaining(formatKeys(path)),
          )
          continue
        }
        const changed = changedColumns(table, row, after)
        if (changed.length === 0) unread.push(path)
        for (const c of changed) feeds.set(c, [...(feeds.get(c) ?? []), path])
      }

      // Absence rejects only a record's identity, or an element of a list column (lists hold no nulls).
      for (const path of identity) {
        const isKey = (path.length === 1 && path[0] === 'id') || keys.includes(formatKeys(path))
        const inList = path.some((k) => typeof k === 'number')
        expect(isKey || inList, `${formatKeys(path)} rejects the record when absent`).toBe(true)
      }

      // A column fed by a path the description lets Spotify leave out, send as null or remove, is nullable.
      const violations: string[] = []
      for (const column of columns.filter((c) => !DERIVED[table]?.includes(c.name))) {
        for (const path of feeds.get(column.name) ?? []) {
          const steps = pathContract({ doc, schema: recordSchema, path, instance: recordValue })
          const loose = steps.find((s) => s.optional || s.nullable || s.deprecated)
          if (loose && !column.nullable) {
            violations.push(`${column.name} <- ${formatKeys(path)} (${JSON.stringify(loose)})`)
          }
        }
      }
      expect(violations).toEqual([])

      // Nothing casts absence away: without every path that feeds it, a nullable column is null. A
      // fallback (`total_tracks` else `tracks.total`) shows once the first path is gone: look again.
      const isParent = (q: Path, p: Path) => q.length < p.length && q.every((k, i) => p[i] === k)
      for (const column of columns.filter((c) => c.nullable && feeds.has(c.name))) {
        const paths = feeds.get(column.name)!.filter((p) => typeof p.at(-1) === 'string')
        for (let round = 0; ; round++) {
          const roots = paths.filter((p) => !paths.some((q) => isParent(q, p)))
          let stripped = body
          for (const p of roots) stripped = edit(stripped, [...record, ...p], { remove: true })
          const after = rowOf(await transform(stripped, endpoint))
          if (after?.[column.name] === null) break
          expect(
            round,
            `${column.name} is ${JSON.stringify(after?.[column.name])} without ${roots.map(formatKeys).join(', ')}`,
          ).toBeLessThan(3)
          const left = getAt(stripped, record)
          for (const path of allPaths(left).filter((p) => typeof p.at(-1) === 'string')) {
            const again = rowOf(
              await transform(edit(stripped, [...record, ...path], { remove: true }), endpoint),
            )
            if (again && !isDeepStrictEqual(again[column.name], after?.[column.name])) {
              paths.push(path)
              feeds.set(column.name, [...feeds.get(column.name)!, path])
            }
          }
        }
      }
      // ...and those fallbacks answer to the description too.
      for (const column of columns.filter((c) => !c.nullable && !DERIVED[table]?.includes(c.name))) {
        expect(feeds.get(column.name) ?? [], `${column.name} is not nullable`).toEqual([])
      }

      // A path that feeds no column never rejects the record, whatever it holds: raw keeps it as sent.
      // (A list whose elements feed a column is read as a whole, whichever element happened to matter.)
      const general = (p: Path) => p.map((k) => (typeof k === 'number' ? '*' : k)).join('.')
      const read = [...feeds.values()].flat().concat(identity).map(general)
      for (const path of unread) {
        if (discriminators.includes(formatKeys(path))) continue
        if (read.some((r) => r === general(path) || r.startsWith(`${general(path)}.`))) continue
        const original = getAt(recordValue, path)
        const odd = typeof original === 'object' && original !== null ? 12345 : { unexpected: true }
        for (const value of [null, odd]) {
          const out = await transform(edit(body, [...record, ...path], { set: value }), endpoint)
          const after = rowOf(out)
          expect(after, `${formatKeys(path)} = ${JSON.stringify(value)} rejects the record`).toBeDefined()
          expect(
            changedColumns(table, row, after!),
            `${formatKeys(path)} = ${JSON.stringify(value)}`,
          ).toEqual([])
        }
      }
    })
  },
)
