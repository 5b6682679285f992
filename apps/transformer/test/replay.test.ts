/** @module Replay from raw alone, against a real S3 server: every run of a dt, manifests kept or created. */
import { createLakeStore, gzip, type LakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import {
  LAKE_TABLE_NAMES,
  lakeKeys,
  type RunManifest,
  RunManifestSchema,
  tablesOfFolder,
} from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { replay } from '../src/run/replay.ts'
import { DT, envelope, playlistUnit, readParquet, recorded } from './support/fixtures.ts'

const RUN_A = '20261121T010000000Z-aaaaaa'
const RUN_B = '20261121T020000000Z-bbbbbb'
const OTHER_DAY_RUN = '20261120T010000000Z-cccccc'

let s3: LocalS3
/** Replay runs as the transformer does on a `replay` message; the raw objects are the worker's (seeded as operator). */
let store: LakeStore
let admin: LakeStore
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'replay-test' })
  const options = { endpoint: s3.endpoint, bucket: s3.bucket, retries: 3, sleep: async () => {} }
  store = createLakeStore({ ...options, ...s3.credentials['spotify-lake-transformer'] })
  admin = createLakeStore({ ...options, ...s3.credentials.operator })
  const body = recorded('playlist--zmb3--get_playlist.json')
  for (const [runId, dt] of [
    [RUN_A, DT],
    [RUN_B, DT],
    [OTHER_DAY_RUN, '2026-11-20'],
  ] as const) {
    const env = envelope({
      runId,
      dt,
      source: 'playlists',
      unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'),
      responses: [{ endpoint: '/playlists/{id}', body }],
    })
    const key = lakeKeys.raw({
      source: 'playlists',
      dt,
      runId,
      unit: 'playlist-1h9q8vXXDl2vHOmwdsuXms-p0000',
    })
    await admin.put(key, await gzip(JSON.stringify(env)))
  }
  // Run A has a manifest from its coordinator (units, API figures); run B's state is gone.
  const stamp = '2026-11-21T01:00:00.000Z'
  await store.putJson(
    lakeKeys.manifest(RUN_A),
    RunManifestSchema.parse({
      v: 1,
      runId: RUN_A,
      dt: DT,
      status: 'failed',
      trigger: 'cron',
      createdAt: stamp,
      updatedAt: stamp,
      finishedAt: FIRST_FINISHED_AT,
      units: { 'playlist:1h9q8vXXDl2vHOmwdsuXms:0': { status: 'extracted', rawKeys: [], itemsSeen: 4 } },
      api: { calls: 3 },
    }),
  )
})
afterAll(() => s3.close())

/** When RUN_A first closed: a replay keeps it, so the run's duration stays the run's. */
const FIRST_FINISHED_AT = '2026-11-21T01:00:30.000Z'

/** The run's `run_tables` rows: [table, complete, incomplete_reason], in table order. */
async function runTables(runId: string): Promise<[string, boolean, string | null][]> {
  const bytes = await store.get(lakeKeys.table({ table: 'run_tables', dt: DT, runId }))
  if (!bytes) throw new Error(`no run_tables file for ${runId}`)
  const rows = await readParquet(bytes)
  return rows.map((r) => [
    r.table_name as string,
    r.complete as boolean,
    r.incomplete_reason as string | null,
  ])
}

describe('replay', () => {
  it('rebuilds every run of the dt from raw, keeps what the coordinator recorded, creates missing manifests', async () => {
    const results = await replay({ store, dt: DT })
    expect(results.map((r) => [r.runId, r.rawObjects, r.status])).toEqual([
      [RUN_A, 1, 'succeeded'],
      [RUN_B, 1, 'succeeded'],
    ])
    for (const runId of [RUN_A, RUN_B]) {
      const rows = await readParquet(
        (await store.get(lakeKeys.table({ table: 'playlist_items', dt: DT, runId })))!,
      )
      expect(rows.map((r) => [r.position, r._run_id])).toEqual([0, 1, 2, 3].map((p) => [p, runId]))
    }
    const a = (await store.getJson<RunManifest>(lakeKeys.manifest(RUN_A)))!
    expect(a).toMatchObject({
      trigger: 'cron',
      status: 'succeeded',
      api: { calls: 3 },
      reconciliation: { ok: true },
    })
    expect(a.finishedAt).toBe(FIRST_FINISHED_AT)
    expect(Date.parse(a.replayedAt!)).toBeGreaterThan(Date.parse(FIRST_FINISHED_AT))
    expect(Object.keys(a.units)).toEqual(['playlist:1h9q8vXXDl2vHOmwdsuXms:0'])
    expect(a.tables.playlist_items).toMatchObject({ rows: 4, rejected: 0, duplicates: 0 })
    const b = (await store.getJson<RunManifest>(lakeKeys.manifest(RUN_B)))!
    expect(RunManifestSchema.parse(b)).toMatchObject({ trigger: 'replay', status: 'succeeded' })
    // Both count for the views: every table a playlist writes is complete in run_tables and in the
    // manifests. Plays and the saved library, which no unit of A extracts, are not A's to answer for; B had no manifest, so its
    // raw is all that is known of it and counts for every table.
    expect(await runTables(RUN_A)).toEqual(
      LAKE_TABLE_NAMES.map((t) =>
        t === 'plays' || t.startsWith('saved_')
          ? [t, false, 'no unit of the run extracts it']
          : [t, true, null],
      ),
    )
    expect(await runTables(RUN_B)).toEqual(LAKE_TABLE_NAMES.map((t) => [t, true, null]))
    expect(a.tables.playlist_items?.complete).toBe(true)
    // Another day's run is untouched.
    expect(await store.listKeys('tables/playlists/dt=2026-11-20/')).toEqual([])
    expect(await store.listKeys('staging/')).toEqual([])
  })

  it('marks a replayed run that was killed mid-way incomplete for the tables its open units write', async () => {
    const killed = '20261121T030000000Z-kkkkkk'
    const body = recorded('playlist--zmb3--get_playlist.json')
    const part0 = lakeKeys.raw({
      source: 'playlists',
      dt: DT,
      runId: killed,
      unit: 'playlist-1h9q8vXXDl2vHOmwdsuXms-p0000',
    })
    const env = envelope({
      runId: killed,
      dt: DT,
      source: 'playlists',
      unit: playlistUnit('1h9q8vXXDl2vHOmwdsuXms'),
      responses: [{ endpoint: '/playlists/{id}', body }],
    })
    await admin.put(part0, await gzip(JSON.stringify(env)))
    const stamp = '2026-11-21T03:00:00.000Z'
    // Its coordinator last saw part 0 done, part 1 still pending and an artists batch done: then it was killed.
    await store.putJson(
      lakeKeys.manifest(killed),
      RunManifestSchema.parse({
        v: 1,
        runId: killed,
        dt: DT,
        status: 'running',
        trigger: 'http',
        createdAt: stamp,
        updatedAt: stamp,
        units: {
          'playlist:1h9q8vXXDl2vHOmwdsuXms:0': { status: 'extracted', rawKeys: [part0], itemsSeen: 4 },
          'playlist:1h9q8vXXDl2vHOmwdsuXms:1': { status: 'pending' },
          'artists:0': { status: 'extracted' },
        },
      }),
    )
    const [result] = await replay({ store, dt: DT, runId: killed })
    expect(result).toMatchObject({ runId: killed, status: 'partial' })
    // Its rows are in the tables (queryable), but run_tables says no view may count them.
    expect(
      await store.head(lakeKeys.table({ table: 'playlist_items', dt: DT, runId: killed })),
    ).not.toBeNull()
    // Incomplete for every table a playlist part writes; plays, which none of its units writes, for that.
    expect(await runTables(killed)).toEqual(
      LAKE_TABLE_NAMES.map((t) =>
        tablesOfFolder('playlists').includes(t)
          ? [t, false, 'unit playlist:1h9q8vXXDl2vHOmwdsuXms:1 is pending']
          : [t, false, 'no unit of the run extracts it'],
      ),
    )
    const manifest = (await store.getJson<RunManifest>(lakeKeys.manifest(killed)))!
    expect(manifest.tables.playlists?.complete).toBe(false)

    // Closed early by its coordinator (abandoned): replay keeps that status, and nothing counts.
    await store.putJson(lakeKeys.manifest(killed), {
      ...manifest,
      status: 'abandoned',
      failure: { reason: 'stalled', message: 'no progress for 30 min', at: stamp },
    })
    const [again] = await replay({ store, dt: DT, runId: killed })
    expect(again?.status).toBe('abandoned')
    expect((await runTables(killed)).map(([, complete, reason]) => [complete, reason])).toEqual(
      LAKE_TABLE_NAMES.map(() => [false, 'the run closed early (stalled)']),
    )
    await admin.deleteMany(await admin.listKeys(`raw/playlists/dt=${DT}/${killed}/`))
  })

  it('replays one run by id, and refuses a run id with no raw objects under the dt', async () => {
    const [only, ...rest] = await replay({ store, dt: DT, runId: RUN_B })
    expect(only).toMatchObject({ runId: RUN_B, rawObjects: 1 })
    expect(rest).toEqual([])
    await expect(replay({ store, dt: DT, runId: OTHER_DAY_RUN })).rejects.toThrow(
      `no raw objects for run ${OTHER_DAY_RUN} under dt=${DT}`,
    )
    expect(await store.head(lakeKeys.manifest(OTHER_DAY_RUN))).toBeNull()
  })
})
