import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLakeStore, gunzip, gzip, type LakeStore, S3Error } from '../src/index.ts'
import { type LocalS3, startS3rver } from '../src/testing.ts'

let local: LocalS3
let store: LakeStore

beforeAll(async () => {
  local = await startS3rver()
  store = createLakeStore({ ...local, retries: 0 })
})
afterAll(() => local.close())

describe('lake store against a real S3 server', () => {
  it('puts and gets bytes, keys with = and spaces, and the SDK reads the same bytes', async () => {
    const key = 'raw/playlists/dt=2026-11-21/run 1/a+b.json'
    await store.put(key, '{"a":1}', { contentType: 'application/json' })
    expect(new TextDecoder().decode((await store.get(key))!)).toBe('{"a":1}')
    const viaSdk = await local.s3.send(new GetObjectCommand({ Bucket: local.bucket, Key: key }))
    expect(await viaSdk.Body?.transformToString()).toBe('{"a":1}')
    expect(await store.head(key)).toMatchObject({ key, size: 7 })
  })

  it('reads what the AWS SDK wrote', async () => {
    await local.s3.send(new PutObjectCommand({ Bucket: local.bucket, Key: 'sdk/x.txt', Body: 'from sdk' }))
    expect(new TextDecoder().decode((await store.get('sdk/x.txt'))!)).toBe('from sdk')
  })

  it('answers null for missing objects and deletes idempotently', async () => {
    expect(await store.get('nope/missing')).toBeNull()
    expect(await store.head('nope/missing')).toBeNull()
    await store.put('del/me', 'x')
    await store.delete('del/me')
    await store.delete('del/me')
    expect(await store.get('del/me')).toBeNull()
  })

  it('round-trips gzip JSON stored as real gzip bytes', async () => {
    const value = { ok: true, list: [1, 2, 3], text: 'ünïcødé' }
    const size = await store.putGzipJson('g/v.json.gz', value)
    const bytes = (await store.get('g/v.json.gz'))!
    expect(bytes.length).toBe(size)
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
    expect(await store.getGzipJson('g/v.json.gz')).toEqual(value)
  })

  // A hang guard, not a speed check: 2,000 requests to s3rver can take long on a loaded 2-core runner.
  it('lists past a page of 1000 keys and deletes many', { timeout: 180_000 }, async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `many/k${String(i).padStart(5, '0')}`)
    const queue = [...keys]
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let k = queue.shift(); k !== undefined; k = queue.shift()) await store.put(k, 'x')
      }),
    )
    const listed = await store.listKeys('many/')
    expect(listed).toHaveLength(1005)
    expect(new Set(listed)).toEqual(new Set(keys))
    await store.deleteMany(keys, { concurrency: 16 })
    expect(await store.listKeys('many/')).toEqual([])
  })

  it('deletes concurrently in one folder, and again once the folder is gone (a retried cleanup)', async () => {
    // s3rver removes emptied folders after a delete; unpatched, racing deletes and any later delete in a
    // removed folder answered 500 (patches/s3rver@3.7.1.patch), failing a compaction's staging cleanup.
    const keys = Array.from({ length: 64 }, (_, i) => `staging/t/dt=2026-11-21/run/p${i}.parquet`)
    await Promise.all(keys.map((k) => store.put(k, 'x')))
    await store.deleteMany(keys, { concurrency: 32 })
    await store.deleteMany(keys, { concurrency: 32 })
    await store.delete(keys[0]!)
    expect(await store.listKeys('staging/')).toEqual([])
  })

  it('serves byte ranges for columnar readers', async () => {
    await store.put('r/bytes', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect([...(await store.getRange('r/bytes', 2, 5))]).toEqual([2, 3, 4])
    const buf = await store.asyncBuffer('r/bytes')
    expect(buf.byteLength).toBe(10)
    expect([...new Uint8Array(await buf.slice(7))]).toEqual([7, 8, 9])
  })
})

describe('failures', () => {
  it('reports a missing bucket as a permanent S3Error with its code', async () => {
    const other = createLakeStore({ ...local, bucket: 'no-such-bucket', retries: 0 })
    const err = await other.put('a', 'b').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(S3Error)
    expect(err).toMatchObject({ status: 404, code: 'NoSuchBucket', transient: false })
    // Reads and deletes too: a wrong bucket must never look like an empty lake (or a done cleanup).
    for (const attempt of [
      () => other.get('a'),
      () => other.getJson('runs/x.json'),
      () => other.delete('a'),
    ]) {
      expect(await attempt().catch((e: unknown) => e)).toMatchObject({ status: 404, code: 'NoSuchBucket' })
    }
    expect(await store.get('no/such/key')).toBeNull()
  })

  it('retries transient failures, then reports them as transient without the secret', async () => {
    let calls = 0
    const flaky = createLakeStore({
      ...local,
      retries: 2,
      sleep: async () => {},
      fetch: async (input, init) => {
        calls++
        if (calls < 3) return new Response('<Error><Code>SlowDown</Code></Error>', { status: 503 })
        return fetch(input, init)
      },
    })
    await flaky.put('flaky/ok', 'x')
    expect(calls).toBe(3)
    const down = createLakeStore({
      ...local,
      endpoint: 'http://127.0.0.1:9',
      secretAccessKey: 'super-secret-value',
      retries: 1,
      sleep: async () => {},
    })
    const err = (await down.get('x').catch((e: unknown) => e)) as S3Error
    expect(err).toBeInstanceOf(S3Error)
    expect(err.transient).toBe(true)
    expect(String(err.message)).not.toContain('super-secret-value')
  })

  it('names why an endpoint never answered (fetch says only "fetch failed") and which endpoint', async () => {
    // A port that was just free: nothing listens there now.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    const refused = createLakeStore({ ...local, endpoint: `http://127.0.0.1:${port}`, retries: 0 })
    const err = (await refused.listKeys('runs/').catch((e: unknown) => e)) as S3Error
    expect(err).toMatchObject({ code: 'NetworkError', transient: true })
    expect(err.message).toContain(`fetch failed (ECONNREFUSED): is http://127.0.0.1:${port} reachable?`)
  })

  it('refuses to gunzip bytes that are not gzip', async () => {
    await expect(gunzip(new TextEncoder().encode('{}'))).rejects.toThrow(/not gzip/)
    const good = await gzip('hello')
    await expect(gunzip(good.slice(0, good.length - 6))).rejects.toThrow(/corrupt gzip/)
  })
})
