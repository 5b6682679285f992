/**
 * @module The saved-library sources' responses to `saved_tracks` / `saved_albums` rows: new holdings from
 * the pages (what the unit says the lake held before decides which are new), removals from the unit,
 * and the catalog rows of what was saved.
 */
import { generateInstance, loadOpenApi, responseSchema } from '@spotify-lake/schemas/contract'
import { recordedText } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, FETCHED_AT, gzipJson, RUN_ID } from './support/fixtures.ts'

const ACCOUNT = 'aB3dE5fG7h'
// Recorded by zmb3/spotify: GET /me/tracks with 3 saved tracks and GET /me/albums with 2 saved albums.
const tracksText = recordedText('saved-tracks--zmb3--current_users_tracks.json')
const albumsText = recordedText('saved-albums--zmb3--current_users_albums.json')
type Page = { items: { added_at: string; track?: { id: string }; album?: { id: string } }[] }
const tracksPage = JSON.parse(tracksText) as Page
const albumsPage = JSON.parse(albumsText) as Page

type Recorded = {
  after?: string | null
  heldAtAfter?: string[]
  late?: string[]
  removed?: { id: string; added_at: string; removed_at: string }[]
}

async function transformSaved(kind: 'tracks' | 'albums', body: unknown, recorded: Recorded = {}) {
  const source = kind === 'tracks' ? 'saved_tracks' : 'saved_albums'
  const unit = { type: `saved-${kind}` as const, accountId: ACCOUNT, ...recorded }
  const env = envelope({
    source,
    unit,
    responses: [{ endpoint: `/me/${kind}`, body, params: { limit: '50', offset: '0' } }],
  })
  const { output } = await transformRaw({
    bytes: await gzipJson(env),
    name: `raw/${source}/dt=${DT}/${RUN_ID}/saved-${kind}-${ACCOUNT}.json.gz`,
    expect: { runId: RUN_ID, dt: DT, source },
  })
  return output
}

const iso = (d: unknown) => (d as Date).toISOString().replace('.000Z', 'Z')

describe('saved_tracks from GET /me/tracks', () => {
  it('makes one row per saved track on a first listing: account, track, added_at, removed_at null', async () => {
    const out = await transformSaved('tracks', tracksText, { after: null, heldAtAfter: [] })
    expect(out.saved_tracks.rejects).toEqual([])
    expect(
      out.saved_tracks.rows.map((r) => [r.account_id, r.track_id, iso(r.added_at), r.removed_at]),
    ).toEqual(tracksPage.items.map((i) => [ACCOUNT, i.track!.id, i.added_at, null]))
    expect(out.saved_tracks.rows[0]!._extracted_at).toEqual(new Date(FETCHED_AT))
    // The tracks, their albums and artists reach the catalog tables.
    expect(new Set(out.tracks.rows.map((r) => r.track_id))).toEqual(
      new Set(tracksPage.items.map((i) => i.track!.id)),
    )
    expect(out.albums.rows.length).toBeGreaterThan(0)
    expect(out.artists.rows.length).toBeGreaterThan(0)
  })

  it('takes only the holdings newer than what the lake held (same instant: those it did not hold)', async () => {
    const [newest, middle, oldest] = tracksPage.items
    // Held: the middle one; the oldest was saved in the same second but is not held (a save of the same request).
    const body = structuredClone(tracksPage)
    body.items[2]!.added_at = middle!.added_at
    const out = await transformSaved('tracks', body, {
      after: middle!.added_at,
      heldAtAfter: [middle!.track!.id],
    })
    expect(out.saved_tracks.rows.map((r) => r.track_id)).toEqual([newest!.track!.id, oldest!.track!.id])
    // A held item adds nothing: no saved row, no catalog row.
    expect(out.tracks.rows.map((r) => r.track_id)).not.toContain(middle!.track!.id)
    expect(out.saved_tracks.seen).toBe(2)
  })

  it('takes a late holding the extractor names, though older than the newest held', async () => {
    const [newest, , oldest] = tracksPage.items
    const out = await transformSaved('tracks', tracksText, {
      after: newest!.added_at,
      heldAtAfter: [newest!.track!.id],
      late: [oldest!.track!.id],
    })
    expect(out.saved_tracks.rows.map((r) => r.track_id)).toEqual([oldest!.track!.id])
  })

  it('records the holdings the unit found gone, with removed_at, under the same key as their first row', async () => {
    const removed = [
      {
        id: '4iV5W9uYEdYUVa79Axb7Rh',
        added_at: '2014-01-01T00:00:00Z',
        removed_at: '2026-11-21T01:02:03.000Z',
      },
    ]
    const held = tracksPage.items[0]!
    const out = await transformSaved('tracks', tracksText, {
      after: held.added_at,
      heldAtAfter: [held.track!.id],
      removed,
    })
    expect(out.saved_tracks.rows.map((r) => [r.track_id, iso(r.added_at), r.removed_at])).toEqual([
      ['4iV5W9uYEdYUVa79Axb7Rh', '2014-01-01T00:00:00Z', new Date('2026-11-21T01:02:03.000Z')],
    ])
    expect(out.saved_tracks.rejects).toEqual([])
  })

  it("rejects an item without its time or track id, or with Spotify's placeholder time, naming the path", async () => {
    const body = structuredClone(tracksPage) as { items: Record<string, unknown>[] }
    delete body.items[0]!.added_at
    ;(body.items[1]!.track as { id?: unknown }).id = 42
    body.items[2]!.added_at = '1970-01-01T00:00:00Z'
    const out = await transformSaved('tracks', body, { after: null })
    expect(out.saved_tracks.rows).toEqual([])
    expect(out.saved_tracks.rejects.map((r) => [r.path, r.detail])).toEqual([
      ['responses[0].items[0]', expect.stringContaining('added_at')],
      ['responses[0].items[1]', expect.stringContaining('track.id')],
      ['responses[0].items[2]', expect.stringContaining('placeholder')],
    ])
  })

  it('takes no holding whose account is unknown (a saved page in another folder)', async () => {
    const env = envelope({
      source: 'tracks',
      unit: { type: 'tracks', ids: ['x'], batch: 0 },
      responses: [{ endpoint: '/me/tracks', body: tracksText }],
    })
    const { output } = await transformRaw({
      bytes: await gzipJson(env),
      name: `raw/tracks/dt=${DT}/${RUN_ID}/tracks-b00000.json.gz`,
      expect: { runId: RUN_ID, dt: DT, source: 'tracks' },
    })
    expect(output.saved_tracks.rows).toEqual([])
    expect(output.saved_tracks.rejects.map((r) => r.reason)).toEqual(['unexpected_payload'])
  })
})

describe('saved_albums from GET /me/albums', () => {
  it('makes one row per saved album, and the albums and their artists reach the catalog tables', async () => {
    const out = await transformSaved('albums', albumsText, { after: null })
    expect(out.saved_albums.rejects).toEqual([])
    expect(
      out.saved_albums.rows.map((r) => [r.account_id, r.album_id, iso(r.added_at), r.removed_at]),
    ).toEqual(albumsPage.items.map((i) => [ACCOUNT, i.album!.id, i.added_at, null]))
    expect(out.albums.rows.map((r) => r.album_id)).toEqual(albumsPage.items.map((i) => i.album!.id))
    expect(out.albums.rejects).toEqual([])
    expect(out.artists.rows.length).toBeGreaterThan(0)
  })

  it('an unchanged library (everything held) adds no row', async () => {
    const [first, second] = albumsPage.items
    const out = await transformSaved('albums', albumsText, {
      after: first!.added_at,
      heldAtAfter: [first!.album!.id],
    })
    expect(second!.added_at < first!.added_at).toBe(true)
    expect(out.saved_albums.rows).toEqual([])
    expect(out.albums.rows).toEqual([])
  })
})

describe('saved_shows and saved_episodes from GET /me/shows and /me/episodes', () => {
  // No recorded response of these: instances generated from the OpenAPI description, two items each.
  const doc = loadOpenApi()
  const instance = (path: string) =>
    generateInstance({ doc, schema: responseSchema({ doc, method: 'get', path }), arrayLength: 2 }) as {
      items: Record<string, Record<string, unknown>>[]
    }

  async function transformKind(kind: 'shows' | 'episodes', body: unknown, recorded: Recorded = {}) {
    const source = `saved_${kind}` as const
    const env = envelope({
      source,
      unit: { type: `saved-${kind}` as const, accountId: ACCOUNT, ...recorded },
      responses: [{ endpoint: `/me/${kind}`, body, params: { limit: '50', offset: '0' } }],
    })
    const { output } = await transformRaw({
      bytes: await gzipJson(env),
      name: `raw/${source}/dt=${DT}/${RUN_ID}/saved-${kind}-${ACCOUNT}.json.gz`,
      expect: { runId: RUN_ID, dt: DT, source },
    })
    return output
  }

  it('makes a saved_shows row per show: id, added_at, name, publisher', async () => {
    const body = instance('/me/shows')
    body.items[1]!.added_at = '2020-01-01T00:00:00Z' as never
    body.items[1]!.show = { ...body.items[1]!.show, id: 'secondShow' }
    const out = await transformKind('shows', body)
    expect(out.saved_shows.rejects).toEqual([])
    expect(out.saved_shows.rows.map((r) => [r.show_id, r.name, r.publisher, r.removed_at])).toEqual(
      body.items.map((i) => [i.show!.id, i.show!.name, i.show!.publisher, null]),
    )
  })

  it('makes a saved_episodes row per episode with its show and duration; removals from the unit', async () => {
    const body = instance('/me/episodes')
    const [first] = body.items
    const out = await transformKind(
      'episodes',
      { ...body, items: [first] },
      {
        after: null,
        removed: [
          { id: 'goneEpisode', added_at: '2020-01-01T00:00:00Z', removed_at: '2020-02-01T00:00:00Z' },
        ],
      },
    )
    const episode = first!.episode as { id: string; name: string; duration_ms: number; show: { id: string } }
    expect(
      out.saved_episodes.rows.map((r) => [r.episode_id, r.name, r.show_id, r.duration_ms, r.removed_at]),
    ).toEqual([
      [episode.id, episode.name, episode.show.id, episode.duration_ms, null],
      ['goneEpisode', null, null, null, new Date('2020-02-01T00:00:00Z')],
    ])
    // Shows and episodes have no catalog tables: nothing else is written.
    expect(out.tracks.rows).toEqual([])
  })
})
