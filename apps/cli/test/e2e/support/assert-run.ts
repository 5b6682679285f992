/** @module Assertions shared by the e2e scenarios: a finished run's manifest, objects and tables against the catalog. */
import type { LakeStore } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, lakeKeys, type RunManifest } from '@spotify-lake/schemas'
import type { FakeCatalog } from '@spotify-lake/spotify-client/fake'
import { expect, vi } from 'vitest'
import type { LakeDb } from '../../../src/query/index.ts'
import {
  type ApiMode,
  type ExpectedLake,
  expectedExplicitShare,
  expectedLake,
  expectedTopArtists,
} from './expected.ts'
import { duplicateKeys, listKeys, runInsight, tableCounts } from './lake.ts'
import { describeRun } from './stack.ts'

/** Rows per table a run that extracted every readable playlist must have written. */
export function expectedRows(lake: ExpectedLake): Record<string, number> {
  return {
    playlists: lake.playlists.length,
    playlist_items: lake.playlistItems,
    tracks: lake.trackIds.size,
    albums: lake.albumIds.size,
    artists: lake.artistIds.size,
    account_playlists: lake.accountPlaylists,
    // The daily run leaves the plays to their own Cron Trigger (recently-played.test.ts).
    plays: 0,
    // The local stack's runs extract the playlists only; the snapshots are user-snapshots.test.ts's.
    top_tracks: 0,
    top_artists: 0,
    followed_artists: 0,
  }
}

/**
 * `rows` with every table it does not name at 0: the tables of sources a run does not extract (the
 * saved library on a playlist run) hold none of its rows.
 */
function withZeros(rows: Record<string, number>): Record<string, number> {
  return Object.fromEntries(LAKE_TABLE_NAMES.map((t) => [t, rows[t] ?? 0]))
}

/** The manifest closes: succeeded, items seen = rows written + rejected + duplicates, and the given row counts. */
export function expectReconciled(m: RunManifest, rows: Record<string, number>): void {
  expect(m.status, describeRun(m)).toBe('succeeded')
  const r = m.reconciliation
  expect(r, 'a finished run has a reconciliation').toBeDefined()
  const duplicates = Object.values(m.tables).reduce((sum, t) => sum + t.duplicates, 0)
  expect(r!.ok).toBe(true)
  expect(r!.itemsSeen).toBe(r!.rowsWritten + r!.rowsRejected + duplicates)
  expect(r!.rowsWritten).toBe(Object.values(rows).reduce((a, b) => a + b, 0))
  expect(Object.fromEntries(LAKE_TABLE_NAMES.map((t) => [t, m.tables[t]?.rows]))).toEqual(withZeros(rows))
}

/**
 * Objects of a finished run: raw holds exactly one object per unit (the units' own raw keys), each
 * non-empty table has its one compacted file for (dt, run), the manifest is in S3, and staging is empty.
 */
export async function expectRunObjects(store: LakeStore, m: RunManifest): Promise<void> {
  const units = Object.entries(m.units)
  for (const [key, unit] of units) {
    // A skipped unit (a playlist the app may not read) makes no call, so it has nothing to keep.
    const want = unit.status === 'skipped' ? 0 : 1
    expect(unit.rawKeys, `raw objects of unit ${key} (${unit.status})`).toHaveLength(want)
  }
  const unitKeys = units.flatMap(([, u]) => u.rawKeys).sort()
  expect(new Set(unitKeys).size).toBe(unitKeys.length)
  const rawOfRun = (await listKeys(store, 'raw/')).filter((k) => k.includes(`/dt=${m.dt}/${m.runId}/`))
  expect(rawOfRun).toEqual(unitKeys)

  for (const table of LAKE_TABLE_NAMES) {
    const files = await listKeys(store, `tables/${table}/dt=${m.dt}/`)
    const mine = files.filter((k) => k.includes(m.runId))
    const want = (m.tables[table]?.rows ?? 0) > 0 ? [lakeKeys.table({ table, dt: m.dt, runId: m.runId })] : []
    expect(mine, `compacted files of ${table}`).toEqual(want)
  }
  // Staging is removed after the manifest closes (the tables and the manifest are durable first), so the
  // finished run's staging may still be going for a moment.
  await vi.waitFor(
    async () => {
      expect(await listKeys(store, 'staging/')).toEqual([])
      expect(await listKeys(store, 'staging-rejected/')).toEqual([])
    },
    { timeout: 15_000, interval: 250 },
  )
  const stored = await store.getJson<RunManifest>(lakeKeys.manifest(m.runId))
  expect(stored?.status).toBe(m.status)
}

/** Table counts of one dt in DuckDB, and no primary key twice within a (dt, run). */
export async function expectTables(db: LakeDb, dt: string, rows: Record<string, number>): Promise<void> {
  expect(await tableCounts(db, dt)).toEqual(withZeros(rows))
  expect(await duplicateKeys(db)).toEqual(Object.fromEntries(LAKE_TABLE_NAMES.map((t) => [t, 0])))
}

/** Distinct ids in the tables of one dt are exactly the catalog's. */
export async function expectIds(db: LakeDb, dt: string, lake: ExpectedLake): Promise<void> {
  const ids = async (table: string, column: string) =>
    (await db.query(`SELECT DISTINCT ${column} FROM ${table} WHERE dt = '${dt}' ORDER BY 1`)).rows.map(
      (r) => r[0],
    )
  expect(await ids('playlists', 'playlist_id')).toEqual(lake.playlists.map((p) => p.id).sort())
  expect(await ids('tracks', 'track_id')).toEqual([...lake.trackIds].sort())
  expect(await ids('albums', 'album_id')).toEqual([...lake.albumIds].sort())
  expect(await ids('artists', 'artist_id')).toEqual([...lake.artistIds].sort())
}

/** explicit-share and top-artists over the current playlists equal what the catalog implies. */
export async function expectInsights(db: LakeDb, catalog: FakeCatalog, mode: ApiMode): Promise<void> {
  const { playlists } = expectedLake(catalog, mode)
  expect(await runInsight(db, 'explicit-share')).toEqual(expectedExplicitShare(catalog, playlists))
  expect(await runInsight(db, 'top-artists')).toEqual(expectedTopArtists(catalog, playlists))
}

/** playlist-size-over-time: per playlist and dt, the item counts given (oldest dt first), with the change. */
export async function expectSizes(db: LakeDb, sizes: { dt: string; sizes: Map<string, number> }[]) {
  const rows = await runInsight(db, 'playlist-size-over-time')
  const want = [...sizes[0]!.sizes.keys()].sort().flatMap((id) =>
    sizes.map(({ dt, sizes: s }, i) => ({
      dt,
      playlist_id: id,
      items_total: s.get(id),
      items_change: i === 0 ? null : s.get(id)! - sizes[i - 1]!.sizes.get(id)!,
    })),
  )
  expect(
    rows.map((r) => ({
      dt: r.dt,
      playlist_id: r.playlist_id,
      items_total: r.items_total,
      items_change: r.items_change,
    })),
  ).toEqual(want)
}

export function sizesOf(lake: ExpectedLake): Map<string, number> {
  return new Map(lake.playlists.map((p) => [p.id, p.entries.length]))
}
