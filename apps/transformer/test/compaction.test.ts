/** @module Staging, compaction, dedup, rejects and reconciliation against a real S3 server (s3rver). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workerGrants } from '@spotify-lake/lake-iam'
import { createLakeStore, gunzip, type LakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { LAKE_PARQUET_CODEC, LAKE_TABLE_NAMES, lakeKeys, type RawEnvelope } from '@spotify-lake/schemas'
import { parquetMetadata } from 'hyparquet'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { partOfRawKey, stageOutput } from '../src/load/stage.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { type ExpectedCounts, finalizeRun, removeStaging } from '../src/run/finalize.ts'
import {
  DT,
  duckDbRead,
  envelope,
  gzipJson,
  playlistUnit,
  RUN_ID,
  readParquet,
  recorded,
} from './support/fixtures.ts'

type Item = { track: Record<string, unknown> }

const toArrayBuffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
const playlist = () =>
  recorded<{ id: string; snapshot_id: string; tracks: { items: Item[] } }>(
    'playlist--zmb3--get_playlist.json',
  )

/** Two playlists holding the same four tracks, and a `tracks` batch re-fetching them later with more detail. */
function runObjects(): { key: string; env: RawEnvelope }[] {
  const first = playlist()
  const second = { ...playlist(), id: 'secondPlaylist0000000', snapshot_id: 'snap2' }
  const tracks = first.tracks.items.map(({ track }) => ({ ...track, popularity: 77 }))
  const ids = tracks.map((t) => String((t as unknown as { id: string }).id))
  return [
    {
      key: `raw/playlists/dt=${DT}/${RUN_ID}/playlist-${first.id}-p0000.json.gz`,
      env: envelope({
        source: 'playlists',
        unit: playlistUnit(first.id),
        responses: [{ endpoint: '/playlists/{playlist_id}', body: first }],
      }),
    },
    {
      key: `raw/playlists/dt=${DT}/${RUN_ID}/playlist-${second.id}-p0000.json.gz`,
      env: envelope({
        source: 'playlists',
        unit: playlistUnit(second.id),
        responses: [{ endpoint: '/playlists/{playlist_id}', body: second }],
      }),
    },
    {
      key: `raw/tracks/dt=${DT}/${RUN_ID}/tracks-b00000.json.gz`,
      env: envelope({
        source: 'tracks',
        unit: { type: 'tracks', ids, batch: 0 },
        responses: [
          {
            endpoint: '/tracks',
            params: { ids: [...ids, 'goneTrack000000000000'].join(',') },
            body: { tracks: [...tracks, null] },
            fetchedAt: '2026-11-21T01:30:00.000Z',
          },
        ],
      }),
    },
  ]
}

async function stageAll(
  store: LakeStore,
  objects: { key: string; env: RawEnvelope }[],
): Promise<{ expected: ExpectedCounts; expectedItemsSeen: number }> {
  const expected: ExpectedCounts = {}
  let expectedItemsSeen = 0
  for (const { key, env } of objects) {
    const { output } = await transformRaw({
      bytes: await gzipJson(env),
      name: key,
      expect: { runId: RUN_ID, dt: DT, source: env.source },
    })
    const staged = await stageOutput({ store, output, dt: DT, runId: RUN_ID, part: partOfRawKey(key) })
    expectedItemsSeen += staged.itemsSeen
    for (const [t, c] of Object.entries(staged.tables) as [
      keyof ExpectedCounts,
      { rows: number; rejected: number },
    ][]) {
      const sum = expected[t] ?? { rows: 0, rejected: 0 }
      expected[t] = { rows: sum.rows + c.rows, rejected: sum.rejected + c.rejected }
    }
  }
  return { expected, expectedItemsSeen }
}

let s3: LocalS3
/** The code under test signs as the transformer, held by the local S3 to the policy infra deploys for it. */
let store: LakeStore
/** The operator cleans up between tests. */
let admin: LakeStore
let dir: string
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'compaction-test' })
  // s3rver answers 500 to some concurrent DELETEs in one folder: the store's own retries cover it, as in production.
  const options = { endpoint: s3.endpoint, bucket: s3.bucket, retries: 3, sleep: async () => {} }
  store = createLakeStore({ ...options, ...s3.credentials['spotify-lake-transformer'] })
  admin = createLakeStore({ ...options, ...s3.credentials.operator })
  dir = await mkdtemp(join(tmpdir(), 'transformer-compaction-'))
})
afterAll(async () => {
  await s3.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  await admin.deleteMany(await admin.listKeys(''))
})

describe('finalizeRun', () => {
  it('compacts each table into one file per dt and run, deduplicated on the primary key, and removes staging', async () => {
    const recorded_ = await stageAll(store, runObjects())
    // Staging parts are read once, whole, by compaction: uncompressed; the tables are the lake's ZSTD.
    const codecsOf = async (key: string) =>
      new Set(
        parquetMetadata(toArrayBuffer((await store.get(key))!)).row_groups.flatMap((g) =>
          g.columns.map((c) => c.meta_data?.codec),
        ),
      )
    const stagedTracks = await store.listKeys(`staging/tracks/dt=${DT}/${RUN_ID}/`)
    expect(stagedTracks).not.toEqual([])
    for (const key of stagedTracks) expect(await codecsOf(key)).toEqual(new Set(['UNCOMPRESSED']))
    const result = await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })
    expect(await codecsOf(lakeKeys.table({ table: 'tracks', dt: DT, runId: RUN_ID }))).toEqual(
      new Set([LAKE_PARQUET_CODEC]),
    )

    expect(result.tables.playlists).toMatchObject({ rows: 2, duplicates: 0 })
    expect(result.tables.playlist_items).toMatchObject({ rows: 8, duplicates: 0 })
    // 4 tracks staged three times (two playlists + the batch): one row each, 8 dropped as duplicates.
    expect(result.tables.tracks).toMatchObject({ rows: 4, duplicates: 8, rejected: 1 })
    expect(result.rejects).toEqual({ not_found: 1 })

    const tracksKey = lakeKeys.table({ table: 'tracks', dt: DT, runId: RUN_ID })
    expect(result.tables.tracks.key).toBe(tracksKey)
    const rows = await readParquet((await store.get(tracksKey))!)
    // The full object from the `tracks` source beats the copies embedded in playlists.
    expect(rows.map((r) => r.popularity)).toEqual([77, 77, 77, 77])
    expect(new Set(rows.map((r) => r.track_id)).size).toBe(4)

    const path = join(dir, 'tracks.parquet')
    await writeFile(path, (await store.get(tracksKey))!)
    const duck = await duckDbRead(path, { orderBy: 'track_id' })
    expect(duck.rows).toHaveLength(4)
    expect(duck.types._extracted_at).toBe('TIMESTAMP WITH TIME ZONE')
    expect(duck.types.artist_ids).toBe('VARCHAR[]')

    const items = await readParquet(
      (await store.get(lakeKeys.table({ table: 'playlist_items', dt: DT, runId: RUN_ID })))!,
    )
    expect(items.map((r) => `${r.playlist_id}:${r.position}`).sort()).toEqual(
      ['1h9q8vXXDl2vHOmwdsuXms', 'secondPlaylist0000000']
        .flatMap((p) => [0, 1, 2, 3].map((i) => `${p}:${i}`))
        .sort(),
    )

    expect(await store.listKeys('staging/')).not.toEqual([])
    await removeStaging({ store, keys: result.stagingKeys })
    expect(await store.listKeys('staging/')).toEqual([])
    expect(await store.listKeys('staging-rejected/')).toEqual([])
  })

  it('reconciles: items seen = rows + duplicates + rejects; rejects make the run partial, never succeeded', async () => {
    const recorded_ = await stageAll(store, runObjects())
    const result = await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })
    const seen = recorded_.expectedItemsSeen
    const { rows, duplicates, rejected } = Object.values(result.tables).reduce(
      (s, t) => ({
        rows: s.rows + t.rows,
        duplicates: s.duplicates + t.duplicates,
        rejected: s.rejected + t.rejected,
      }),
      { rows: 0, duplicates: 0, rejected: 0 },
    )
    expect(result.reconciliation).toEqual({
      itemsSeen: seen,
      rowsWritten: rows,
      rowsRejected: rejected,
      ok: true,
    })
    expect(seen).toBe(rows + duplicates + rejected)
    expect(result.status).toBe('partial')
    const lines = new TextDecoder()
      .decode(await gunzip((await store.get(lakeKeys.rejected({ table: 'tracks', dt: DT, runId: RUN_ID })))!))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toMatchObject([
      { table: 'tracks', reason: 'not_found', record: { id: 'goneTrack000000000000' }, runId: RUN_ID },
    ])
  })

  it('a clean run succeeds; incomplete extraction units make it partial', async () => {
    const recorded_ = await stageAll(store, runObjects().slice(0, 2))
    expect((await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })).status).toBe('succeeded')
    expect(
      (await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_, unitsComplete: false })).status,
    ).toBe('partial')
  })

  it('fails the run when staging does not hold what was recorded (a lost staging object)', async () => {
    const recorded_ = await stageAll(store, runObjects())
    const [lost] = await store.listKeys(
      lakeKeys.stagingRunPrefix({ table: 'playlist_items', dt: DT, runId: RUN_ID }),
    )
    await admin.delete(lost!)
    const result = await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })
    expect(result.status).toBe('failed')
    expect(result.reconciliation.ok).toBe(false)
    expect(result.discrepancies[0]).toBe(
      'playlist_items: transforms recorded 8 rows and rejects, staging holds 4',
    )
    expect(result.discrepancies[1]).toMatch(/records seen in raw, staging accounts for/)
  })

  it('is idempotent and order-independent: the same raw objects give byte-identical tables', async () => {
    const objects = runObjects()
    await stageAll(store, objects)
    await finalizeRun({ store, dt: DT, runId: RUN_ID })
    const first = await Promise.all(
      (['tracks', 'playlist_items', 'artists'] as const).map((table) =>
        store.get(lakeKeys.table({ table, dt: DT, runId: RUN_ID })),
      ),
    )
    await admin.deleteMany(await admin.listKeys(''))
    // Redelivered and out of order: staged twice, in reverse.
    await stageAll(store, [...objects].reverse())
    await stageAll(store, objects)
    await finalizeRun({ store, dt: DT, runId: RUN_ID })
    const second = await Promise.all(
      (['tracks', 'playlist_items', 'artists'] as const).map((table) =>
        store.get(lakeKeys.table({ table, dt: DT, runId: RUN_ID })),
      ),
    )
    expect(second).toEqual(first)
  })

  it('streams by row group: small groups and no staging cache give the same rows in several row groups', async () => {
    await stageAll(store, runObjects())
    await finalizeRun({ store, dt: DT, runId: RUN_ID })
    const whole = await readParquet(
      (await store.get(lakeKeys.table({ table: 'artists', dt: DT, runId: RUN_ID })))!,
    )
    await admin.deleteMany(await admin.listKeys('tables/'))
    await finalizeRun({ store, dt: DT, runId: RUN_ID, rowGroupSize: 2, cacheBytes: 0 })
    const bytes = (await store.get(lakeKeys.table({ table: 'artists', dt: DT, runId: RUN_ID })))!
    const metadata = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
    expect(metadata.row_groups.length).toBeGreaterThan(1)
    expect(await readParquet(bytes)).toEqual(whole)
  })

  it('never wipes a table when its rows were expected but staging is already gone (a racing finalize)', async () => {
    const recorded_ = await stageAll(store, runObjects())
    const first = await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })
    await removeStaging({ store, keys: first.stagingKeys })
    const key = lakeKeys.table({ table: 'tracks', dt: DT, runId: RUN_ID })
    const before = await store.get(key)
    const late = await finalizeRun({ store, dt: DT, runId: RUN_ID, ...recorded_ })
    expect(late.status).toBe('failed')
    expect(await store.get(key)).toEqual(before)
  })

  it('removes a stale table file when a rebuild stages no rows for it', async () => {
    const key = lakeKeys.table({ table: 'albums', dt: DT, runId: RUN_ID })
    await store.put(key, new Uint8Array([1, 2, 3]))
    const result = await finalizeRun({ store, dt: DT, runId: RUN_ID })
    expect(result.tables.albums).toEqual({ rows: 0, rejected: 0, duplicates: 0, bytes: 0 })
    expect(await store.head(key)).toBeNull()
  })
})

describe('finalizeRun under IAM', () => {
  it('deletes nothing it never wrote: a transformer without deletes in tables/ and rejected/ finalizes a first build', async () => {
    // The transformer's grants minus the deletes a first build never needs (only a replay's stale files do).
    const narrowed = workerGrants['spotify-lake-transformer'].map((g) =>
      g.prefix === 'tables/' || g.prefix === 'rejected/'
        ? { ...g, access: g.access.filter((a) => a !== 'delete') }
        : g,
    )
    const local = await startS3rver({
      bucket: 'compaction-iam',
      grants: { 'spotify-lake-transformer': narrowed },
    })
    try {
      const lake = createLakeStore({
        endpoint: local.endpoint,
        bucket: local.bucket,
        ...local.credentials['spotify-lake-transformer'],
        retries: 0,
      })
      // Playlists only: every table gets rows and no table gets a reject, so no rejects file is written.
      const recorded_ = await stageAll(
        lake,
        runObjects().filter((o) => o.env.source === 'playlists'),
      )
      const result = await finalizeRun({ store: lake, dt: DT, runId: RUN_ID, ...recorded_ })
      expect(result.status).toBe('succeeded')
      expect(Object.values(result.tables).map((t) => t.rejected)).toEqual(LAKE_TABLE_NAMES.map(() => 0))
      // A run that staged nothing at all: no table file is written, so none is deleted either.
      const empty = await finalizeRun({ store: lake, dt: DT, runId: '20261121T020000000Z-eeeeee' })
      expect(Object.values(empty.tables).map((t) => t.rows)).toEqual(LAKE_TABLE_NAMES.map(() => 0))
      expect(local.denials).toEqual([])
      await removeStaging({ store: lake, keys: result.stagingKeys })
      expect(local.denials).toEqual([])
    } finally {
      await local.close()
    }
  })
})
