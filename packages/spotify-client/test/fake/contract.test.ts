/**
 * @module Contract: every endpoint the fake serves, in both modes, answers what the OpenAPI description
 * (packages/schemas/openapi/openapi.yml) says AND what the project's zod schemas accept.
 *
 * Where the OpenAPI file and real 2026 Spotify disagree, the test reconciles explicitly (and only there):
 * 1. Development mode: fields Spotify removed in 2026 are still `required` in the file
 *    (album `available_markets`, `label`, `popularity`; discography `album_group`). The test validates
 *    against a copy of the document with exactly those names dropped from `required`.
 * 2. Removed tracks (`item`/`track` null), local files (null ids/hrefs/album fields) and episodes in track
 *    shape (sent when `additional_types` lacks `episode`) are real payloads the file does not allow. Issues at
 *    exactly those items' content are skipped; the same items must still parse with zod, and every other item
 *    is checked in full.
 * 3. Recently played: `context` is null for plays outside a context (the file says not nullable).
 * 4. Names: the file documents both the 2026 `items`/`item` and the deprecated `tracks`/`track`, so no
 *    reconciliation is needed; development mode is checked only on endpoints that exist for it.
 */
import { TokenResponseSchema, WebApiErrorSchema } from '@spotify-lake/schemas'
import {
  type ContractIssue,
  loadOpenApi,
  type OpenApiDocument,
  responseSchema,
  validateInstance,
} from '@spotify-lake/schemas/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCatalog } from '../../src/fake/index.ts'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'
import { buildCases, OPTIONS } from './support/contract-cases.ts'
import { getToken, postToken } from './support/helpers.ts'

const REMOVED_REQUIRED = new Set(['available_markets', 'label', 'popularity', 'album_group'])

/** The document as a development-mode app experiences it (reconciliation 1). */
const developmentDoc = (doc: OpenApiDocument): OpenApiDocument => {
  const copy = structuredClone(doc)
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip)
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>
      if (Array.isArray(record.required)) {
        record.required = record.required.filter((name) => !REMOVED_REQUIRED.has(String(name)))
      }
      Object.values(record).forEach(strip)
    }
  }
  strip(copy.components.schemas)
  return copy
}

/** Paths the OpenAPI check skips (reconciliations 2 and 3): only null/quirky contents Spotify really sends. */
const quirkPaths = (body: unknown): Set<string> => {
  const paths = new Set<string>()
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        visit(child, `${path}[${i}]`)
      })
      return
    }
    const record = node as Record<string, unknown>
    for (const key of ['item', 'track'] as const) {
      const content = record[key] as Record<string, unknown> | null | undefined
      const trackShapedEpisode = content?.type === 'episode' && content.track === true
      if (
        key in record &&
        'added_at' in record &&
        (content === null || record.is_local === true || trackShapedEpisode)
      ) {
        paths.add(`${path}.${key}`)
      }
    }
    // Plays outside a playlist/album have `context: null` (reconciliation 3).
    if ('played_at' in record && record.context === null) paths.add(`${path}.context`)
    for (const [key, child] of Object.entries(record)) visit(child, `${path}.${key}`)
  }
  visit(body, '$')
  return paths
}

describe.each(['development', 'extended'] as const)('contract in %s mode', (mode) => {
  let server: RunningFakeSpotify
  let doc: OpenApiDocument
  const tokens: Record<'user' | 'app', string> = { user: '', app: '' }
  beforeAll(async () => {
    server = await startFakeSpotify({ ...OPTIONS, mode })
    const full = loadOpenApi()
    doc = mode === 'development' ? developmentDoc(full) : full
    tokens.user = await getToken(server.url, 'user')
    tokens.app = await getToken(server.url, 'app')
  })
  afterAll(() => server.close())

  // The catalog is a pure function of the options, so cases can be listed before the server starts.
  const cases = buildCases(buildCatalog(OPTIONS)).filter((c) => !c.modes || c.modes.includes(mode))

  it.each(cases)('$name matches OpenAPI and zod', async (c) => {
    const token = c.token === 'none' ? null : tokens[c.token ?? 'user']
    const res = await fetch(`${server.url}/v1${c.path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    const status = c.status ?? 200
    expect(res.status, c.name).toBe(status)
    const body: unknown = await res.json()
    const skipped = quirkPaths(body)
    const issues: ContractIssue[] = validateInstance({
      doc,
      schema: responseSchema({ doc, method: 'get', path: c.template, status }),
      value: body,
    }).filter((issue) => !skipped.has(issue.path))
    expect(issues, `${c.name}: OpenAPI issues`).toEqual([])
    const parsed = c.schema.safeParse(body)
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 3), `${c.name}: zod issues`).toEqual([])
  })

  it('the checks have teeth: a broken page fails, and development mode needs reconciliation 1', async () => {
    const album = server.fake.catalog.albums[0]
    const res = await fetch(`${server.url}/v1/albums/${album?.id}`, {
      headers: { authorization: `Bearer ${tokens.app}` },
    })
    const body = (await res.json()) as Record<string, unknown>
    const full = loadOpenApi()
    const against = (d: OpenApiDocument, value: unknown) =>
      validateInstance({
        doc: d,
        schema: responseSchema({ doc: d, method: 'get', path: '/albums/{id}' }),
        value,
      })
    const strict = against(full, body).map((i) => i.path)
    if (mode === 'development')
      expect(strict).toEqual(expect.arrayContaining(['$.label', '$.available_markets']))
    else expect(strict).toEqual([])
    const { next: _next, ...brokenTracks } = body.tracks as Record<string, unknown>
    expect(against(doc, { ...body, tracks: brokenTracks }).map((i) => i.path)).toContain('$.tracks.next')
  })

  it('the skipped quirk items exist, and only removed, local and track-shaped episode items are skipped', async () => {
    const mine = server.fake.catalog.playlists[0]
    const res = await fetch(`${server.url}/v1/playlists/${mine?.id}/items?limit=50`, {
      headers: { authorization: `Bearer ${tokens.user}` },
    })
    const body = (await res.json()) as { items: Record<string, unknown>[] }
    const expected = (mine?.entries ?? [])
      .slice(0, 50)
      .flatMap((e, i) => (e.kind === 'removed' || e.kind === 'local' || e.kind === 'episode' ? [i] : []))
    expect(expected.length).toBeGreaterThanOrEqual(3)
    const key = mode === 'development' ? 'item' : 'track'
    expect([...quirkPaths(body)].sort()).toEqual(expected.map((i) => `$.items[${i}].${key}`).sort())
  })

  it('token responses and OAuth errors parse with the zod schemas', async () => {
    const ok = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: server.fake.consent().refreshToken,
    })
    expect(TokenResponseSchema.safeParse(await ok.json()).success).toBe(true)
    const bad = await postToken(server.url, { grant_type: 'refresh_token', refresh_token: 'nope' })
    const body = await bad.json()
    expect(WebApiErrorSchema.safeParse(body).success).toBe(false)
    expect(body).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) })
  })
})
