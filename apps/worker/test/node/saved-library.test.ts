/** @module The saved-library sources' pure parts: the newest holding, settling a listing, when a full listing is due. */
import { describe, expect, it } from 'vitest'
import { dailySources, recentlyPlayedSources, SourcesSchema } from '../../src/config.ts'
import { planSources } from '../../src/run/plan-sources.ts'
import { extractSavedLibrary, newestHeld, settleListing } from '../../src/sources/saved-library/extract.ts'
import type { SavedLibraryState } from '../../src/sources/saved-library/state.ts'
import type { ExtractContext } from '../../src/sources/types.ts'

const DAY = 86_400_000
const NOW = new Date('2026-11-21T05:17:00.000Z')

describe('newestHeld', () => {
  it('is the newest added_at as Spotify spelled it, with every id saved at that instant', () => {
    expect(newestHeld({})).toEqual({ after: null, heldAtAfter: [] })
    expect(
      newestHeld({ b: '2026-01-02T00:00:00Z', a: '2026-01-02T00:00:00Z', c: '2025-12-31T00:00:00Z' }),
    ).toEqual({ after: '2026-01-02T00:00:00Z', heldAtAfter: ['a', 'b'] })
  })
})

describe('settleListing', () => {
  const held = { a: '2026-01-01T00:00:00Z', b: '2026-01-02T00:00:00Z' }

  it('incremental: new items join the holdings; a re-save ends the earlier holding at its new added_at', () => {
    const seen = [
      { id: 'a', addedAt: '2026-03-01T00:00:00Z' },
      { id: 'c', addedAt: '2026-02-01T00:00:00Z' },
      { id: 'b', addedAt: '2026-01-02T00:00:00Z' },
    ]
    expect(settleListing({ held, seen, full: false, listedAt: NOW.toISOString() })).toEqual({
      fresh: ['a', 'c'],
      removed: [{ id: 'a', added_at: '2026-01-01T00:00:00Z', removed_at: '2026-03-01T00:00:00Z' }],
      held: { a: '2026-03-01T00:00:00Z', b: '2026-01-02T00:00:00Z', c: '2026-02-01T00:00:00Z' },
    })
  })

  it('full: an unlisted holding is gone at the listing time; the holdings are exactly the listing', () => {
    const seen = [{ id: 'b', addedAt: '2026-01-02T00:00:00Z' }]
    expect(settleListing({ held, seen, full: true, listedAt: NOW.toISOString() })).toEqual({
      fresh: [],
      removed: [{ id: 'a', added_at: '2026-01-01T00:00:00Z', removed_at: NOW.toISOString() }],
      held: { b: '2026-01-02T00:00:00Z' },
    })
  })
})

/** A client whose saved tracks are `items` (newest first), in pages of 2; records the offsets asked for. */
function stubContext(items: { id: string; added_at: string }[], state: SavedLibraryState | null) {
  const offsets: number[] = []
  const client = {
    async *savedTracks() {
      for (let offset = 0; offset < Math.max(items.length, 1); offset += 2) {
        offsets.push(offset)
        const page = items.slice(offset, offset + 2).map((i) => ({
          added_at: i.added_at,
          track: { id: i.id, album: { id: `al-${i.id}`, artists: [] }, artists: [{ id: `ar-${i.id}` }] },
        }))
        yield { raw: { endpoint: '/me/tracks' }, data: { items: page, total: items.length } }
      }
    },
  }
  const ctx = {
    client,
    callBudget: 20,
    force: false,
    lastSnapshot: async () => null,
    playsCursor: async () => null,
    savedLibrary: async () => state,
    libraryFullListingMs: 7 * DAY,
    now: () => NOW,
    responses: [],
  } as unknown as ExtractContext
  return { ctx, offsets }
}

describe('extractSavedLibrary', () => {
  const items = [
    { id: 'n', added_at: '2026-11-20T00:00:00Z' },
    { id: 'c', added_at: '2026-03-01T00:00:00Z' },
    { id: 'b', added_at: '2026-02-01T00:00:00Z' },
    { id: 'a', added_at: '2026-01-01T00:00:00Z' },
  ]
  const heldAll = { a: items[3]!.added_at, b: items[2]!.added_at, c: items[1]!.added_at }
  const state = (daysSinceFull: number, held: Record<string, string> = heldAll): SavedLibraryState => ({
    held,
    lastFullAt: new Date(NOW.getTime() - daysSinceFull * DAY).toISOString(),
    runId: 'r' as never,
    dt: '2026-11-20' as never,
    updatedAt: NOW.toISOString(),
  })
  const unit = { type: 'saved-tracks', accountId: 'acc' } as const

  it('pages only until a held item while the last full listing is recent, recording what was held', async () => {
    const { ctx, offsets } = stubContext(items, state(6))
    const outcome = await extractSavedLibrary(unit, ctx)
    expect(offsets).toEqual([0])
    expect(outcome).toMatchObject({
      kind: 'extracted',
      items: 1,
      unit: { listing: 'incremental', after: '2026-03-01T00:00:00Z', heldAtAfter: ['c'] },
      savedLibrary: { held: { ...heldAll, n: items[0]!.added_at }, lastFullAt: state(6).lastFullAt },
    })
    if (outcome.kind !== 'extracted') throw new Error('not extracted')
    expect([...outcome.referenced!.albums]).toEqual(['al-n'])
    expect([...outcome.referenced!.artists]).toEqual(['ar-n'])
  })

  it('lists every page when the last full listing is LIBRARY_FULL_LISTING_DAYS old', async () => {
    const { ctx, offsets } = stubContext(items, state(7))
    const outcome = await extractSavedLibrary(unit, ctx)
    expect(offsets).toEqual([0, 2])
    expect(outcome).toMatchObject({
      unit: { listing: 'full' },
      savedLibrary: { lastFullAt: NOW.toISOString() },
    })
  })

  it('lists every page when the total is short of what the lake would hold, and records the removal', async () => {
    const { ctx, offsets } = stubContext(
      items.filter((i) => i.id !== 'a'),
      state(1),
    )
    const outcome = await extractSavedLibrary(unit, ctx)
    expect(offsets).toEqual([0, 2])
    expect(outcome).toMatchObject({
      items: 2,
      unit: {
        listing: 'full',
        removed: [{ id: 'a', added_at: '2026-01-01T00:00:00Z', removed_at: NOW.toISOString() }],
      },
    })
  })

  it('names a new holding older than the newest held as late, so the transformer keeps it', async () => {
    const { ctx } = stubContext(
      items,
      state(30, { n: items[0]!.added_at, c: items[1]!.added_at, a: items[3]!.added_at }),
    )
    const outcome = await extractSavedLibrary(unit, ctx)
    expect(outcome).toMatchObject({ items: 1, unit: { listing: 'full', late: ['b'] } })
  })

  it('lists everything on a first check (nothing held)', async () => {
    const { ctx, offsets } = stubContext(items, null)
    const outcome = await extractSavedLibrary(unit, ctx)
    expect(offsets).toEqual([0, 2])
    expect(outcome).toMatchObject({ items: 4, unit: { listing: 'full', after: null, heldAtAfter: [] } })
  })
})

describe('SOURCES: the saved library', () => {
  const accounts = [{ accountId: 'a1', userId: 'u1' }] as never

  it('plans one unit per account and kind on the daily run, none on the plays poll', () => {
    const sources = SourcesSchema.parse({
      recentlyPlayed: true,
      savedTracks: true,
      savedAlbums: true,
      savedShows: true,
      savedEpisodes: true,
    })
    expect(planSources(dailySources(sources), accounts)).toEqual([
      { type: 'saved-tracks', accountId: 'a1' },
      { type: 'saved-albums', accountId: 'a1' },
      { type: 'saved-shows', accountId: 'a1' },
      { type: 'saved-episodes', accountId: 'a1' },
    ])
    expect(planSources(recentlyPlayedSources(sources), accounts).map((u) => u.type)).toEqual([
      'recently-played',
    ])
  })

  it('defaults them off (SOURCES must say so)', () => {
    expect(SourcesSchema.parse({}).savedTracks).toBe(false)
    expect(SourcesSchema.parse({}).savedAlbums).toBe(false)
    expect(SourcesSchema.parse({}).savedShows).toBe(false)
    expect(SourcesSchema.parse({}).savedEpisodes).toBe(false)
  })
})
