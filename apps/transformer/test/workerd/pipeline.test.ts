/** @module The transformer inside workerd: real queue handler, real RunCoordinator, real S3 (s3rver) on loopback. */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { createLakeStore, gunzip, gzip } from '@spotify-lake/lake-store'
import { runStub } from '@spotify-lake/run-coordinator'
import {
  type ExtractUnit,
  LAKE_TABLE_NAMES,
  lakeKeys,
  newRunId,
  type RawEnvelope,
  type RunManifest,
} from '@spotify-lake/schemas'
import playlist from '@spotify-lake/spotify-fixtures/recorded/playlist--zmb3--get_playlist.json'
import { parquetReadObjects } from 'hyparquet'
import { describe, expect, inject, it, vi } from 'vitest'
import { PARQUET_DECOMPRESSORS } from '../../src/load/compressors.ts'
import type { TransformerEnv } from '../../src/run/config.ts'
import { handleTransformBatch } from '../../src/run/queue.ts'
import worker from './entry.ts'

const DT = '2026-11-21'
/** The test stands in for the worker (raw objects) and reads back: it signs as the operator, not the transformer. */
const store = () =>
  createLakeStore({
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    ...inject('s3Operator'),
    sleep: async () => {},
  })

interface RawObject {
  key: string
  unit: ExtractUnit
  unitKey: string
  env: RawEnvelope
}

/** Two playlist units sharing four tracks, and a `tracks` batch with one unknown id. */
function runObjects(runId: string): RawObject[] {
  const second = { ...playlist, id: 'secondPlaylist0000000', snapshot_id: 'snap2' }
  const ids = playlist.tracks.items.map((i) => i.track.id)
  const make = (
    source: RawEnvelope['source'],
    unit: ExtractUnit,
    name: string,
    responses: RawEnvelope['responses'],
  ) => ({
    key: lakeKeys.raw({ source, dt: DT, runId, unit: name }),
    unit,
    unitKey: name,
    env: {
      v: 1 as const,
      runId,
      dt: DT,
      source,
      unit,
      apiMode: 'development' as const,
      extractedAt: `${DT}T01:00:00.000Z`,
      responses,
    },
  })
  const response = (endpoint: string, body: unknown, params: Record<string, string> = {}) => ({
    endpoint,
    url: 'https://api.spotify.com/v1/x',
    params,
    status: 200,
    fetchedAt: `${DT}T01:00:01.000Z`,
    body: JSON.stringify(body),
  })
  return [
    make(
      'playlists',
      { type: 'playlist', playlistId: playlist.id, offset: 0, part: 0 },
      `playlist-${playlist.id}-p0000`,
      [response('/playlists/{playlist_id}', playlist)],
    ),
    make(
      'playlists',
      { type: 'playlist', playlistId: second.id, offset: 0, part: 0 },
      `playlist-${second.id}-p0000`,
      [response('/playlists/{playlist_id}', second)],
    ),
    make('tracks', { type: 'tracks', ids, batch: 0 }, 'tracks-b00000', [
      response(
        '/tracks',
        { tracks: [...playlist.tracks.items.map((i) => i.track), null] },
        {
          ids: [...ids, 'goneTrack000000000000'].join(','),
        },
      ),
    ]),
  ]
}

/** Raw objects in S3 and a run the coordinator knows, with every unit extracted. */
async function seedRun(runId: string): Promise<RawObject[]> {
  const objects = runObjects(runId)
  const lake = store()
  for (const o of objects) await lake.put(o.key, await gzip(JSON.stringify(o.env)))
  const stub = env.RUN_COORDINATOR.get(env.RUN_COORDINATOR.idFromName(runId)) as unknown as {
    begin(i: unknown): Promise<unknown>
    planUnits(u: unknown): Promise<unknown>
    unitExtracted(i: unknown): Promise<void>
  }
  await stub.begin({ runId, dt: DT, trigger: 'cli', force: false })
  await stub.planUnits(objects.map((o) => ({ key: o.unitKey, unit: o.unit })))
  for (const o of objects) await stub.unitExtracted({ key: o.unitKey, rawKeys: [o.key], itemsSeen: 1 })
  return objects
}

function transformMessages(runId: string, objects: RawObject[], attempts = 1) {
  return objects.map((o, i) => ({
    id: `m-${runId}-${i}-${attempts}`,
    timestamp: new Date(),
    attempts,
    body: { v: 1, kind: 'transform', runId, dt: DT, source: o.env.source, rawKey: o.key },
  }))
}

async function deliver(messages: ReturnType<typeof transformMessages>) {
  const batch = createMessageBatch('transform-test', messages)
  const ctx = createExecutionContext()
  await worker.queue(batch, env, ctx)
  return getQueueResult(batch, ctx)
}

async function manifestOf(runId: string): Promise<RunManifest | null> {
  return store().getJson<RunManifest>(lakeKeys.manifest(runId))
}

describe('transformer queue consumer (workerd)', () => {
  it('transforms, acks after staging, finalizes through the coordinator and closes the manifest', async () => {
    const runId = newRunId()
    const objects = await seedRun(runId)
    const result = await deliver(transformMessages(runId, objects))
    expect(result.explicitAcks.sort()).toEqual(
      transformMessages(runId, objects)
        .map((m) => m.id)
        .sort(),
    )
    expect(result.retryMessages).toEqual([])

    // The last transform claimed the finalize and enqueued it; Queues delivers it to this same consumer.
    await vi.waitFor(async () => expect((await manifestOf(runId))?.finishedAt).toBeDefined(), {
      timeout: 30_000,
      interval: 200,
    })
    const manifest = (await manifestOf(runId))!
    expect(manifest.status).toBe('partial')
    expect(manifest.reconciliation).toMatchObject({ ok: true, rowsRejected: 1 })
    // The one reject reaches the manifest under its reason, through the coordinator's finalized().
    expect(Object.values(manifest.rejects).reduce((a, b) => a + b, 0)).toBe(1)
    expect(manifest.tables.tracks).toMatchObject({ rows: 4, duplicates: 8, rejected: 1 })
    expect(manifest.tables.playlist_items).toMatchObject({ rows: 8, rejected: 0 })

    // A reject is no missing data: run_tables counts the run complete for every table, and says so once.
    // (This run's unit keys are raw names no resource makes, so they may have written any table.)
    const writes = (_table: string) => true
    expect(Object.values(manifest.tables).map((t) => t.complete)).toEqual(LAKE_TABLE_NAMES.map(writes))
    const flags = await parquetReadObjects({
      file: (await store().get(lakeKeys.table({ table: 'run_tables', dt: DT, runId })))!.slice()
        .buffer as ArrayBuffer,
      compressors: PARQUET_DECOMPRESSORS,
    })
    expect(flags.map((r) => [r.table_name, r.complete, r.run_status, r._run_id])).toEqual(
      LAKE_TABLE_NAMES.map((t) => [t, writes(t), 'partial', runId]),
    )
    expect(flags.find((r) => r.table_name === 'tracks')).toMatchObject({
      rows_written: 4n,
      rows_rejected: 1n,
    })

    const lake = store()
    const bytes = (await lake.get(lakeKeys.table({ table: 'playlist_items', dt: DT, runId })))!
    const rows = await parquetReadObjects({
      file: bytes.slice().buffer as ArrayBuffer,
      compressors: PARQUET_DECOMPRESSORS,
    })
    expect(rows).toHaveLength(8)
    expect(rows[0]!._extracted_at).toEqual(new Date(`${DT}T01:00:01.000Z`))
    expect(await lake.listKeys(`staging/playlist_items/dt=${DT}/${runId}/`)).toEqual([])
    expect(await lake.head(lakeKeys.rejected({ table: 'tracks', dt: DT, runId }))).not.toBeNull()

    // Redelivered messages after the run closed: acked, and the tables stay as they were.
    const again = await deliver(transformMessages(runId, objects, 2))
    expect(again.retryMessages).toEqual([])
    // What those late copies staged does not stay behind.
    expect(await lake.listKeys('staging/')).toEqual([])
    // A leftover staging object (as if a staging delete had failed) goes with the redelivered finalize.
    const leftover = lakeKeys.staging({ table: 'tracks', dt: DT, runId, part: 'tracks.tracks-b00000' })
    await lake.put(leftover, new Uint8Array([1]))
    const finalizeAgain = createMessageBatch('transform-test', [
      {
        id: `f-${runId}`,
        timestamp: new Date(),
        attempts: 2,
        body: { v: 1, kind: 'finalize', runId, dt: DT },
      },
    ])
    const ctx = createExecutionContext()
    await worker.queue(finalizeAgain, env, ctx)
    expect((await getQueueResult(finalizeAgain, ctx)).explicitAcks).toEqual([`f-${runId}`])
    expect(await lake.get(lakeKeys.table({ table: 'playlist_items', dt: DT, runId }))).toEqual(bytes)
    expect(await lake.head(leftover)).toBeNull()

    // A replay message rebuilds the run from raw alone: the same tables, the same figures.
    const replayBatch = createMessageBatch('transform-test', [
      { id: `r-${runId}`, timestamp: new Date(), attempts: 1, body: { v: 1, kind: 'replay', dt: DT, runId } },
    ])
    const replayCtx = createExecutionContext()
    await worker.queue(replayBatch, env, replayCtx)
    expect((await getQueueResult(replayBatch, replayCtx)).explicitAcks).toEqual([`r-${runId}`])
    expect(await lake.get(lakeKeys.table({ table: 'playlist_items', dt: DT, runId }))).toEqual(bytes)
    const replayed = (await manifestOf(runId))!
    expect(replayed.tables).toEqual(manifest.tables)
    expect(replayed.units).toEqual(manifest.units)
    expect(replayed.timings.replayMs).toBeGreaterThanOrEqual(0)
  })

  it('a replay message for a run still extracting is refused (acked, nothing written) unless forced', async () => {
    const runId = newRunId()
    await seedRun(runId)
    const lake = store()
    const tableKey = lakeKeys.table({ table: 'playlist_items', dt: DT, runId })
    const replayOf = async (body: Record<string, unknown>) => {
      const batch = createMessageBatch('transform-test', [
        {
          id: `r-${runId}`,
          timestamp: new Date(),
          attempts: 1,
          body: { v: 1, kind: 'replay', dt: DT, runId, ...body },
        },
      ])
      const ctx = createExecutionContext()
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        await worker.queue(batch, env, ctx)
        return { result: await getQueueResult(batch, ctx), logged: errors.mock.calls.flat().join('\n') }
      } finally {
        errors.mockRestore()
      }
    }
    // The coordinator mirrored its open manifest moments ago: a rebuild now would contradict its close.
    const refused = await replayOf({})
    expect(refused.result.explicitAcks).toEqual([`r-${runId}`])
    expect(refused.result.retryMessages).toEqual([])
    expect(refused.logged).toContain(`run ${runId} is still open`)
    expect(await lake.head(tableKey)).toBeNull()
    expect((await manifestOf(runId))?.status).toBe('running')

    const forced = await replayOf({ force: true })
    expect(forced.result.explicitAcks).toEqual([`r-${runId}`])
    expect(await lake.head(tableKey)).not.toBeNull()
  })

  it('the coordinator saw every raw key once, with the counts that staging holds', async () => {
    const runId = newRunId()
    const objects = await seedRun(runId)
    await deliver(transformMessages(runId, objects.slice(0, 2)))
    const progress = await runStub(env.RUN_COORDINATOR, runId).progress()
    expect(progress.transformed).toBe(2)
    expect(progress.staged.tables.playlist_items).toEqual({ rows: 8, rejected: 0 })
    expect(progress.finalizeClaimed).toBe(false)
  })

  it('retries a message whose raw object is missing or whose body is invalid, never acks it', async () => {
    const runId = newRunId()
    const result = await deliver([
      {
        id: 'missing',
        timestamp: new Date(),
        attempts: 1,
        body: {
          v: 1,
          kind: 'transform',
          runId,
          dt: DT,
          source: 'playlists',
          rawKey: `raw/playlists/dt=${DT}/${runId}/nope.json.gz`,
        },
      },
      {
        id: 'invalid',
        timestamp: new Date(),
        attempts: 1,
        body: { v: 1, kind: 'transform', runId: 'not-a-run' },
      } as never,
    ])
    expect(result.explicitAcks).toEqual([])
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(['invalid', 'missing'])
  })

  it('retries transient S3 failures with a backoff delay', async () => {
    const runId = newRunId()
    const objects = runObjects(runId)
    const batch = createMessageBatch('transform-test', transformMessages(runId, objects.slice(0, 1), 3))
    const ctx = createExecutionContext()
    // getQueueResult does not report delays: watch the call itself (it still goes through).
    const retry = vi.spyOn(batch.messages[0]!, 'retry')
    // Nothing listens on port 1: a network failure, which the lake store marks transient.
    await worker.queue(batch, { ...env, S3_ENDPOINT: 'http://127.0.0.1:1' } as unknown as Env, ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual([])
    expect(result.retryMessages).toEqual([{ msgId: batch.messages[0]!.id }])
    // Third attempt: 15 s doubled twice.
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 60 })
  })

  it('fails the run at once when S3 refuses its key (no retries), with the reason and what to do', async () => {
    const runId = newRunId()
    const objects = await seedRun(runId)
    // S3 answering like AWS to a wrong secret key (s3rver accepts any): the real store raises the S3Error.
    const refusing = createLakeStore({
      endpoint: 'http://s3.test',
      bucket: 'lake',
      accessKeyId: 'AKID',
      secretAccessKey: 'wrong-secret',
      retries: 0,
      fetch: async () =>
        new Response('<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>', {
          status: 403,
        }),
    })
    const batch = createMessageBatch('transform-test', transformMessages(runId, objects.slice(0, 1)))
    const ctx = createExecutionContext()
    await handleTransformBatch(batch, env as unknown as TransformerEnv, { store: refusing })
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id])
    expect(result.retryMessages).toEqual([])
    const manifest = await runStub(env.RUN_COORDINATOR, runId).manifest()
    expect(manifest).toMatchObject({ status: 'failed', failure: { reason: 's3_access_denied' } })
    expect(manifest?.failure?.action).toMatch(/S3_SECRET_ACCESS_KEY/)
  })

  it('dead-letters a transform that keeps failing; the DLQ consumer turns it into a reject and the run closes partial', async () => {
    const runId = newRunId()
    const objects = await seedRun(runId)
    // A fourth unit whose raw object is missing: every attempt fails permanently.
    const goneKey = lakeKeys.raw({
      source: 'playlists',
      dt: DT,
      runId,
      unit: 'playlist-gone000000000000000-p0000',
    })
    const stub = env.RUN_COORDINATOR.get(env.RUN_COORDINATOR.idFromName(runId)) as unknown as {
      planUnits(u: unknown): Promise<unknown>
      unitExtracted(i: unknown): Promise<void>
    }
    const unit = { type: 'playlist', playlistId: 'gone000000000000000', offset: 0, part: 0 }
    await stub.planUnits([{ key: 'playlist:gone000000000000000:0', unit }])
    await stub.unitExtracted({ key: 'playlist:gone000000000000000:0', rawKeys: [goneKey], itemsSeen: 1 })
    expect((await deliver(transformMessages(runId, objects))).retryMessages).toEqual([])

    // Through the real queue: two failed attempts (max_retries 1), then the dead-letter queue.
    await env.TRANSFORM.send({ v: 1, kind: 'transform', runId, dt: DT, source: 'playlists', rawKey: goneKey })
    await vi.waitFor(async () => expect((await manifestOf(runId))?.finishedAt).toBeDefined(), {
      timeout: 45_000,
      interval: 250,
    })
    const manifest = (await manifestOf(runId))!
    expect(manifest.status).toBe('partial')
    expect(manifest.reconciliation?.ok).toBe(true)
    expect(manifest.tables.playlists).toMatchObject({ rows: 2, rejected: 1 })
    expect(manifest.tables.tracks).toMatchObject({ rows: 4, rejected: 1 })
    const lines = new TextDecoder()
      .decode(await gunzip((await store().get(lakeKeys.rejected({ table: 'playlists', dt: DT, runId })))!))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toMatchObject([{ reason: 'dead_lettered', source: goneKey, record: { rawKey: goneKey } }])
  })
})
