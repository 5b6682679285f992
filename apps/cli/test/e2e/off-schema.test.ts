/**
 * @module E2e: Spotify sends playlist entries no schema knows (audiobooks). Each becomes a reject with its
 * reason and the record as sent; every other entry becomes a row; the run says `partial`, never `succeeded`.
 */
import { LAKE_TABLE_NAMES } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LakeDb } from '../../src/query/index.ts'
import { expectRunObjects } from './support/assert-run.ts'
import { expectedLake } from './support/expected.ts'
import { duplicateKeys, openLake, queryObjects, tableCounts } from './support/lake.ts'
import { readRejects } from './support/rejects.ts'
import { describeRun, type E2eStack, runToEnd, startE2eStack } from './support/stack.ts'

const MODE = 'development'
const DT = '2026-06-01'

describe('entries off the schema through the local stack', () => {
  let lake: E2eStack
  let db: LakeDb | undefined

  beforeAll(async () => {
    lake = await startE2eStack({
      mode: MODE,
      seed: 17,
      playlists: 4,
      items: 120,
      faults: { offSchemaItems: { rate: 0.05, path: '/v1/playlists/*' } },
    })
  })
  afterAll(async () => {
    db?.close()
    await lake?.close()
  })

  it('rejects each one with its reason and record, keeps every other entry, and closes the run as partial', async () => {
    const run = await runToEnd(lake, { dt: DT })
    const m = run.manifest
    const broken = run.requests.filter((r) => r.faults.includes('off-schema-item'))
    expect(broken.length).toBeGreaterThan(0)

    // Extraction lost nothing: no unit failed over an odd entry, the pages after it were read too.
    for (const [key, unit] of Object.entries(m.units)) {
      expect(['extracted', 'skipped'], `${key}: ${describeRun(m)}`).toContain(unit.status)
    }
    await expectRunObjects(lake.store, m)

    const rejects = await readRejects(lake.store, { dt: DT, runId: run.runId })
    expect(rejects.length).toBeGreaterThan(0)
    for (const r of rejects) {
      expect(r).toMatchObject({ table: 'playlist_items', reason: 'invalid_payload', runId: run.runId })
      expect(r.detail.length).toBeGreaterThan(0)
      expect(r.path).toMatch(/^responses\[\d+\]\.(items|tracks)?\.?items\[\d+\]$/)
      const record = r.record as { item?: { type?: string }; track?: { type?: string } }
      expect((record.item ?? record.track)?.type).toBe('audiobook')
      expect(r.source).toMatch(new RegExp(`^raw/playlists/dt=${DT}/${run.runId}/`))
    }
    // Losses are visible: partial, with the rejects per reason, and the counts still reconcile.
    expect(m.status).toBe('partial')
    expect(m.rejects).toEqual({ invalid_payload: rejects.length })
    expect(m.tables.playlist_items?.rejected).toBe(rejects.length)
    expect(m.reconciliation?.ok).toBe(true)

    // Every position of every readable playlist is a row or a reject: nothing dropped, nothing twice.
    const expected = expectedLake(lake.fake.catalog, MODE)
    db = await openLake(lake)
    const counts = await tableCounts(db, DT)
    expect((counts.playlist_items ?? 0) + rejects.length).toBe(expected.playlistItems)
    expect(counts.playlists).toBe(expected.playlists.length)
    expect(await duplicateKeys(db)).toEqual(Object.fromEntries(LAKE_TABLE_NAMES.map((t) => [t, 0])))
    // The catalog rows are the catalog's own (a subset: an audiobook entry refers to no track).
    const trackIds = await queryObjects(db, `SELECT DISTINCT track_id FROM tracks WHERE dt = '${DT}'`)
    expect(trackIds.length).toBeGreaterThan(0)
    for (const { track_id } of trackIds) expect(expected.trackIds.has(String(track_id))).toBe(true)
  })
})
