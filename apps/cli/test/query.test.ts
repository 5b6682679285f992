/** @module `lake query` on DuckDB against a real S3 server: incremental sync, empty lakes, formats and errors. */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { lakeTables, tracksTable } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { CACHE_INDEX_FILE, syncLake } from '../src/query/sync.ts'
import { captureIo } from './support/capture.ts'

/** Keeps these tests off a developer's own .lake/s3 (the fallback when no LAKE_S3_* is set). */
const NO_LOCAL_LAKE = '/nonexistent/lake'

import { fixtureFiles, keyOf, RUN_C, toParquet, writeFixture } from './support/query-lake.ts'
import { INSIGHT_NAMES, Oracle } from './support/query-oracle.ts'

let s3: LocalS3
let store: LakeStore
let cache: string

const envOf = (s: Pick<LocalS3, 'endpoint' | 'bucket' | 'accessKeyId' | 'secretAccessKey'>) => ({
  LAKE_S3_ENDPOINT: s.endpoint,
  LAKE_S3_BUCKET: s.bucket,
  LAKE_S3_ACCESS_KEY_ID: s.accessKeyId,
  LAKE_S3_SECRET_ACCESS_KEY: s.secretAccessKey,
})

async function lake(argv: string[], env: Record<string, string> = envOf(s3)) {
  const io = captureIo()
  const code = await runLake({
    argv: ['query', ...argv],
    io,
    commands: [createQueryCommand({ env, localLakeDir: NO_LOCAL_LAKE })],
  })
  return { code, out: io.out(), err: io.err() }
}

async function cachedKeys(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'tables'), { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

beforeEach(async () => {
  s3 = await startS3rver()
  store = createLakeStore({ ...s3, style: 'path' })
  cache = await mkdtemp(join(tmpdir(), 'lake-query-'))
})

afterEach(async () => {
  await s3.close()
  await rm(cache, { recursive: true, force: true })
})

describe('incremental sync', () => {
  const source = () => `${s3.endpoint}/${s3.bucket}`

  it('mirrors tables/ once, then downloads nothing; picks up new, changed and deleted objects', async () => {
    const files = fixtureFiles()
    await writeFixture(store, files)
    await store.put('raw/playlists/dt=2026-11-21/r/u.json.gz', 'not mirrored')
    const first = await syncLake({ store, source: source(), cacheDir: cache })
    const bytes = files.reduce((sum, f) => sum + toParquet(f).length, 0)
    expect(first).toEqual({
      downloaded: files.length,
      unchanged: 0,
      removed: 0,
      bytes,
      objects: files.length,
    })
    expect(await cachedKeys(cache)).toEqual(files.map(keyOf).sort())
    expect(await readFile(join(cache, keyOf(files[0]!)))).toEqual(Buffer.from(toParquet(files[0]!)))

    expect(await syncLake({ store, source: source(), cacheDir: cache })).toEqual({
      downloaded: 0,
      unchanged: files.length,
      removed: 0,
      bytes: 0,
      objects: files.length,
    })

    const gone = keyOf(files[0]!)
    const added = 'tables/tracks/dt=2026-11-22/20261122T060000000Z-dddddd.parquet'
    const changed = keyOf(files[1]!)
    const changedBytes = toParquet({ ...files[1]!, rows: files[1]!.rows.slice(0, 1) })
    await store.delete(gone)
    await store.put(added, toParquet({ ...files.find((f) => f.table === tracksTable)!, run: RUN_C }))
    await store.put(changed, changedBytes)
    const third = await syncLake({ store, source: source(), cacheDir: cache })
    expect(third).toMatchObject({
      downloaded: 2,
      unchanged: files.length - 2,
      removed: 1,
      objects: files.length,
    })
    expect(await cachedKeys(cache)).toEqual([...files.map(keyOf).filter((k) => k !== gone), added].sort())
    expect(await readFile(join(cache, changed))).toEqual(Buffer.from(changedBytes))
  })

  it('re-downloads a cached file that was deleted locally, and removes stray local files', async () => {
    await writeFixture(store)
    await syncLake({ store, source: source(), cacheDir: cache })
    const key = keyOf(fixtureFiles()[0]!)
    await rm(join(cache, key))
    const stray = join(cache, 'tables', 'tracks', 'dt=1999-01-01', 'stray.parquet')
    await mkdir(join(stray, '..'), { recursive: true })
    await writeFile(stray, 'x')
    const report = await syncLake({ store, source: source(), cacheDir: cache })
    expect(report).toMatchObject({ downloaded: 1, removed: 1 })
    expect(await cachedKeys(cache)).toContain(key)
    expect(await readdir(join(cache, 'tables', 'tracks'))).not.toContain('dt=1999-01-01')
  })

  it('notices a rewrite of the same size by its ETag', async () => {
    const key = 'tables/tracks/dt=2026-11-21/20261121T060000000Z-eeeeee.parquet'
    await store.put(key, 'aaaa')
    await syncLake({ store, source: source(), cacheDir: cache })
    await store.put(key, 'bbbb')
    const report = await syncLake({ store, source: source(), cacheDir: cache })
    expect(report).toMatchObject({ downloaded: 1, unchanged: 0, bytes: 4 })
    expect(await readFile(join(cache, key), 'utf8')).toBe('bbbb')
  })

  it('does not trust a cache index written for another lake', async () => {
    await writeFixture(store)
    await syncLake({ store, source: source(), cacheDir: cache })
    const index = JSON.parse(await readFile(join(cache, CACHE_INDEX_FILE), 'utf8'))
    expect(index.source).toBe(source())
    const report = await syncLake({ store, source: 'http://elsewhere/bucket', cacheDir: cache })
    expect(report.downloaded).toBe(fixtureFiles().length)
  })

  it('refuses object keys that would escape the cache', async () => {
    const evil: LakeStore = {
      ...store,
      async *list() {
        yield { key: 'tables/../../etc/passwd', size: 1, etag: '"x"' }
      },
    }
    await expect(syncLake({ store: evil, source: source(), cacheDir: cache })).rejects.toThrow(/unsafe key/)
  })
})

describe('lake query on duckdb', () => {
  it('syncs, then answers SQL over every table (the sync report goes to stderr)', async () => {
    await writeFixture(store)
    const { code, out, err } = await lake([
      'SELECT dt, count(*) AS n FROM playlists GROUP BY dt ORDER BY dt',
      '--format',
      'json',
      '--cache',
      cache,
    ])
    expect(code).toBe(0)
    const playlists = fixtureFiles().filter((f) => f.table.name === 'playlists')
    const perDt = (dt: string) =>
      playlists.filter((f) => f.run.dt === dt).reduce((sum, f) => sum + f.rows.length, 0)
    // Every run's rows, partial ones included: the tables hold them all (the views choose).
    expect(JSON.parse(out)).toEqual(
      [...new Set(playlists.map((f) => f.run.dt))].sort().map((dt) => ({ dt, n: perDt(dt) })),
    )
    expect(err).toMatch(
      new RegExp(`synced ${s3.endpoint}/${s3.bucket} tables/ -> .*: ${fixtureFiles().length} downloaded`),
    )
    const again = await lake(['SELECT 1 AS one', '--cache', cache])
    expect(again.err).toMatch(/: 0 downloaded \(0 B\), \d+ unchanged, 0 removed/)
  })

  it('converts values: lists to arrays, timestamps to ISO strings, BIGINT to numbers or strings', async () => {
    await writeFixture(store)
    const sql = `SELECT artist_ids, _extracted_at, CAST(9007199254740993 AS BIGINT) AS big, CAST(7 AS BIGINT) AS small,
      DATE '2026-11-21' AS day FROM tracks WHERE track_id = 't1' AND dt = '${RUN_C.dt}'`
    const { code, out } = await lake([sql, '--format', 'json', '--cache', cache])
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual([
      {
        artist_ids: ['ar1', 'ar2'],
        _extracted_at: `${RUN_C.dt}T12:00:00.000Z`,
        big: '9007199254740993',
        small: 7,
        day: '2026-11-21',
      },
    ])
  })

  it('treats an empty lake as empty tables: every insight and table answers with no rows', async () => {
    for (const table of lakeTables) {
      const { code, out } = await lake([`SELECT * FROM ${table.name}`, '--format', 'json', '--cache', cache])
      expect(code).toBe(0)
      expect(JSON.parse(out)).toEqual([])
    }
    for (const name of INSIGHT_NAMES) {
      const { code, out } = await lake(['--insight', name, '--format', 'json', '--cache', cache])
      expect(code).toBe(0)
      expect(JSON.parse(out)).toEqual([])
    }
  })

  it('mixes views and empty tables: a lake with playlists only still answers every insight', async () => {
    const files = fixtureFiles().filter(
      (f) => f.table.name.startsWith('playlist') || f.table.name === 'run_tables',
    )
    await writeFixture(store, files)
    const oracle = new Oracle(files)
    for (const name of INSIGHT_NAMES) {
      const { code, out } = await lake(['--insight', name, '--format', 'json', '--cache', cache])
      expect(code).toBe(0)
      expect(JSON.parse(out)).toEqual(oracle[name]())
    }
    expect(oracle['explicit-share']()).toContainEqual(expect.objectContaining({ unknown_count: 3 }))
  })

  it('--offline queries the cache without S3 settings', async () => {
    await writeFixture(store)
    await lake(['SELECT 1', '--cache', cache])
    const { code, out, err } = await lake(
      ['SELECT count(*) AS n FROM artists', '--offline', '--cache', cache],
      {},
    )
    expect(code).toBe(0)
    expect(out).toBe('n\n-\n6\n(1 row)\n')
    expect(err).toBe('')
  })

  it('prints table, csv and json', async () => {
    const sql = `SELECT 1 AS n, 'a,b "c"' AS s, NULL AS z, ['x', 'y'] AS l UNION ALL SELECT 22, 'line\nbreak', 'v', []`
    const table = await lake([sql, '--cache', cache])
    expect(table.out.split('\n')).toEqual([
      ' n | s           | z    | l',
      '---+-------------+------+----------',
      ' 1 | a,b "c"     | NULL | ["x","y"]',
      '22 | line\\nbreak | v    | []',
      '(2 rows)',
      '',
    ])
    const csv = await lake([sql, '--format', 'csv', '--cache', cache])
    expect(csv.out).toBe('n,s,z,l\r\n1,"a,b ""c""",,"[""x"",""y""]"\r\n22,"line\nbreak",v,[]\r\n')
    const json = await lake([sql, '--format', 'json', '--cache', cache])
    expect(JSON.parse(json.out)).toEqual([
      { n: 1, s: 'a,b "c"', z: null, l: ['x', 'y'] },
      { n: 22, s: 'line\nbreak', z: 'v', l: [] },
    ])
  })
})

describe('lake query as a process', () => {
  it('runs an insight through tsx src/main.ts with the S3 settings from the environment', async () => {
    await writeFixture(store)
    const cwd = fileURLToPath(new URL('..', import.meta.url))
    const tsxCli = fileURLToPath(import.meta.resolve('tsx/cli'))
    // Asynchronous on purpose: the S3 server answering the child runs in this process.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [tsxCli, 'src/main.ts', 'query', '--insight', 'top-artists', '--format', 'json', '--cache', cache],
      { cwd, env: { ...process.env, ...envOf(s3) }, encoding: 'utf8' },
    )
    expect(stderr).toMatch(/^lake query: synced /)
    expect(JSON.parse(stdout)).toEqual(new Oracle()['top-artists']())
  })
})
