/**
 * @module The `import` message inside workerd against s3rver: raw parts (as POST /imports writes them)
 * into plays, rejects, run_tables and a manifest; a redelivery changes nothing, a retry after a partial
 * write rewrites the same rows, and a second import of the same export adds nothing.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { createLakeStore } from '@spotify-lake/lake-store'
import { type ImportMessage, lakeKeys, newRunId, type RunManifest } from '@spotify-lake/schemas'
import { rawPartsOf } from '@spotify-lake/spotify-export'
import { strToU8, zipSync } from 'fflate'
import { parquetReadObjects } from 'hyparquet'
import { describe, expect, inject, it } from 'vitest'
import older from '../../../../packages/spotify-export/test/fixtures/quirks/MyData/endsong_0.json?raw'
import newer from '../../../../packages/spotify-export/test/fixtures/quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json?raw'
import { PARQUET_DECOMPRESSORS } from '../../src/load/compressors.ts'
import worker from './entry.ts'

const store = () =>
  createLakeStore({
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    ...inject('s3Operator'),
    sleep: async () => {},
  })

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

/** Writes the fixtures' raw parts as POST /imports does and returns the import message. */
async function upload(accountId: string): Promise<ImportMessage> {
  const now = new Date()
  const runId = newRunId({ now })
  const dt = now.toISOString().slice(0, 10)
  const rawKeys: string[] = []
  const zip = zipSync({
    'MyData/endsong_0.json': strToU8(older),
    'Streaming_History_Audio_2014-2015_0.json': strToU8(newer),
  })
  for await (const part of rawPartsOf(
    { name: 'my_spotify_data.zip', chunks: once(zip) },
    { partRecords: 2 },
  )) {
    const key = lakeKeys.rawImport({ dt, runId, file: part.name })
    await store().put(key, part.bytes)
    rawKeys.push(key)
  }
  return { v: 1, kind: 'import', runId, dt, accountId, rawKeys }
}

async function deliver(body: ImportMessage, attempts = 1) {
  const batch = createMessageBatch('transform-test', [
    { id: `i-${body.runId}-${attempts}`, timestamp: new Date(), attempts, body },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch, env, ctx)
  return getQueueResult(batch, ctx)
}

async function playsOf(message: ImportMessage): Promise<Record<string, unknown>[]> {
  const bytes = await store().get(lakeKeys.table({ table: 'plays', dt: message.dt, runId: message.runId }))
  if (!bytes) return []
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  return parquetReadObjects({ file, compressors: PARQUET_DECOMPRESSORS })
}

describe('the import message', () => {
  it('imports the raw parts into plays with the reject kept and the counts reconciled, once', async () => {
    const message = await upload('import-acc-1')
    expect(message.rawKeys).toHaveLength(4)
    expect((await deliver(message)).explicitAcks).toEqual([`i-${message.runId}-1`])
    const rows = await playsOf(message)
    expect(rows.map((r) => [r.account_id, r.source, r.play_key]).sort()).toEqual(
      [
        ['import-acc-1', 'extended_history', 'names:["Someone Local","A local file"]@150000'],
        ['import-acc-1', 'extended_history', 'spotify:episode:7ccccccccccccccccccccc@60000'],
        ['import-acc-1', 'extended_history', 'spotify:track:1aaaaaaaaaaaaaaaaaaaaa@201000'],
        ['import-acc-1', 'extended_history', 'spotify:track:2bbbbbbbbbbbbbbbbbbbbb@1200'],
        ['import-acc-1', 'extended_history', 'unknown@0'],
      ].sort(),
    )
    const manifest = (await store().getJson<RunManifest>(lakeKeys.manifest(message.runId)))!
    expect(manifest).toMatchObject({
      trigger: 'import',
      status: 'partial',
      reconciliation: { itemsSeen: 7, rowsWritten: 5, rowsRejected: 1, ok: true },
      tables: { plays: { rows: 5, rejected: 1, duplicates: 1 } },
    })
    expect(
      await store().get(lakeKeys.rejected({ table: 'plays', dt: message.dt, runId: message.runId })),
    ).not.toBeNull()

    // A redelivery after the manifest: acked, nothing rewritten.
    const before = await store().get(lakeKeys.table({ table: 'plays', dt: message.dt, runId: message.runId }))
    expect((await deliver(message, 2)).explicitAcks).toHaveLength(1)
    expect(
      await store().get(lakeKeys.table({ table: 'plays', dt: message.dt, runId: message.runId })),
    ).toEqual(before)

    // A retry after a partial write (no manifest yet): its own rows are new again, not "in the lake".
    await store().delete(lakeKeys.manifest(message.runId))
    expect((await deliver(message, 3)).explicitAcks).toHaveLength(1)
    expect(await playsOf(message)).toHaveLength(5)

    // The same export again, as a new upload: nothing new.
    const again = await upload('import-acc-1')
    await deliver(again)
    expect(await playsOf(again)).toEqual([])
    expect((await store().getJson<RunManifest>(lakeKeys.manifest(again.runId)))?.reconciliation).toEqual({
      itemsSeen: 7,
      rowsWritten: 0,
      rowsRejected: 1,
      ok: true,
    })
  })
})
