/** @module The contract tooling itself: operation lookup, deterministic generation, and a validator that rejects. */
import { describe, expect, it } from 'vitest'
import {
  assertMatchesResponse,
  findOperation,
  generateInstance,
  listOperations,
  loadOpenApi,
  responseSchema,
  validateInstance,
} from '../../src/contract/index.ts'

const doc = loadOpenApi()

describe('loading and lookup', () => {
  it('loads the vendored OpenAPI file with all its operations', () => {
    expect(doc.openapi).toBe('3.0.3')
    expect(doc.info.version).toBe('2026.5.31')
    expect(listOperations({ doc })).toHaveLength(97)
  })

  it('finds operations by template (any parameter names) or by a concrete request URL', () => {
    expect(findOperation({ doc, method: 'GET', path: '/playlists/{id}/items' }).path).toBe(
      '/playlists/{playlist_id}/items',
    )
    const concrete = findOperation({
      doc,
      method: 'get',
      path: 'https://api.spotify.com/v1/playlists/37i9dQZF1/items?limit=50',
    })
    expect(concrete.operation.operationId).toBe('get-playlists-items')
    expect(findOperation({ doc, method: 'GET', path: '/v1/me/playlists' }).path).toBe('/me/playlists')
    expect(() => findOperation({ doc, method: 'GET', path: '/nope' })).toThrow(/no operation GET \/nope/)
    expect(() => responseSchema({ doc, method: 'GET', path: '/tracks/{id}', status: 418 })).toThrow(
      /no 418 response/,
    )
  })

  it('resolves the response envelope $refs down to the body schema', () => {
    const schema = responseSchema({ doc, method: 'GET', path: '/tracks' })
    expect(schema.required).toEqual(['tracks'])
    expect(schema.properties?.tracks?.items?.$ref).toBe('#/components/schemas/TrackObject')
  })
})

describe('generateInstance', () => {
  const schema = responseSchema({ doc, method: 'GET', path: '/playlists/{id}' })

  it('is deterministic', () => {
    expect(JSON.stringify(generateInstance({ doc, schema, arrayLength: 2 }))).toBe(
      JSON.stringify(generateInstance({ doc, schema, arrayLength: 2 })),
    )
  })

  it('fills every property, honours enums, nullable and array length', () => {
    const page = generateInstance({
      doc,
      schema: responseSchema({ doc, method: 'GET', path: '/albums/{id}/tracks' }),
      arrayLength: 2,
    }) as {
      items: Record<string, unknown>[]
      next: unknown
    }
    expect(page.items).toHaveLength(2)
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      Object.keys(doc.components.schemas.SimplifiedTrackObject?.properties ?? {}).sort(),
    )
    expect(typeof page.next).toBe('string')
    const nulled = generateInstance({
      doc,
      schema: responseSchema({ doc, method: 'GET', path: '/albums/{id}/tracks' }),
      nullableAs: 'null',
    }) as {
      next: unknown
      items: { preview_url: unknown }[]
    }
    expect(nulled.next).toBeNull()
    expect(nulled.items[0]?.preview_url).toBeNull()
    const album = generateInstance({
      doc,
      schema: responseSchema({ doc, method: 'GET', path: '/albums/{id}' }),
    }) as Record<string, unknown>
    expect(album.type).toBe('album')
    expect(['year', 'month', 'day']).toContain(album.release_date_precision)
  })
})

describe('validateInstance', () => {
  const schema = responseSchema({ doc, method: 'GET', path: '/tracks/{id}' })
  const good = () => generateInstance({ doc, schema }) as Record<string, unknown>

  it('accepts a conforming body', () => {
    expect(validateInstance({ doc, schema, value: good() })).toEqual([])
  })

  it('reports wrong types, bad enums, illegal nulls and bad nested values with their path', () => {
    const issues = validateInstance({
      doc,
      schema,
      value: {
        ...good(),
        duration_ms: 1.5,
        type: 'album',
        name: null,
        album: { ...(good().album as object), images: 'x' },
      },
    })
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '$.duration_ms', message: 'expected integer, got number' },
        { path: '$.type', message: '"album" is not one of ["track"]' },
        { path: '$.name', message: 'is null but the schema is not nullable' },
        { path: '$.album.images', message: 'expected array, got string' },
      ]),
    )
  })

  it('reports missing required keys and oneOf mismatches', () => {
    const tracks = responseSchema({ doc, method: 'GET', path: '/tracks' })
    expect(validateInstance({ doc, schema: tracks, value: {} })).toEqual([
      { path: '$.tracks', message: 'is required but missing' },
    ])
    const items = responseSchema({ doc, method: 'GET', path: '/playlists/{id}/items' })
    const page = generateInstance({ doc, schema: items }) as { items: Record<string, unknown>[] }
    page.items[0]!.item = { type: 'track', duration_ms: 'long' }
    const [issue] = validateInstance({ doc, schema: items, value: page })
    expect(issue?.path).toBe('$.items[0].item')
    expect(issue?.message).toMatch(/matches no oneOf branch/)
  })

  it('assertMatchesResponse throws a readable error naming the endpoint and path', () => {
    expect(() =>
      assertMatchesResponse({ doc, method: 'GET', path: '/tracks/abc', body: good() }),
    ).not.toThrow()
    expect(() =>
      assertMatchesResponse({
        doc,
        method: 'GET',
        path: '/tracks/abc',
        body: { ...good(), explicit: 'yes' },
      }),
    ).toThrow('GET /tracks/abc 200 body breaks the OpenAPI contract: $.explicit expected boolean, got string')
    const error = { error: { status: 429, message: 'slow down' } }
    expect(() =>
      assertMatchesResponse({ doc, method: 'GET', path: '/tracks/abc', status: 429, body: error }),
    ).not.toThrow()
  })
})
