/** @module Replay from raw alone, against a real S3 server: every run of a dt, manifests kept or created. */
import { createLakeStore, gzip, type LakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { lakeKeys, type RunManifest, RunManifestSchema } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { replay } from '../src/replay.ts'
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
      units: { 'playlist:1h9q8vXXDl2vHOmwdsuXms:0': { status: 'extracted', rawKeys: [], items: 4 } },
      api: { calls: 3 },
    }),
  )
})
afterAll(() => s3.close())

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
    expect(Object.keys(a.units)).toEqual(['playlist:1h9q8vXXDl2vHOmwdsuXms:0'])
    expect(a.tables.playlist_items).toMatchObject({ rows: 4, rejected: 0, duplicates: 0 })
    const b = (await store.getJson<RunManifest>(lakeKeys.manifest(RUN_B)))!
    expect(RunManifestSchema.parse(b)).toMatchObject({ trigger: 'replay', status: 'succeeded' })
    // Another day's run is untouched.
    expect(await store.listKeys('tables/playlists/dt=2026-11-20/')).toEqual([])
    expect(await store.listKeys('staging/')).toEqual([])
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
