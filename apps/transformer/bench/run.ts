/**
 * @module `pnpm bench`: a 10,000-item playlist through the transformer inside workerd, side by side with
 * the floor (gunzip + JSON.parse) in one run, the Parquet codecs against DuckDB on the same rows, and the
 * heap caps of the floor and the transform. Writes the transformer section of BENCHMARKS.md.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createLakeStore, gzip } from '@spotify-lake/lake-store'
import { startS3rver } from '@spotify-lake/lake-store/testing'
import { LAKE_PARQUET_CODEC, LAKE_TABLE_NAMES, lakeKeys, lakeTable } from '@spotify-lake/schemas'
import { unstable_startWorker } from 'wrangler'
import { STAGING_PARQUET } from '../src/load/stage.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { fakePlaylistRaw } from '../test/support/fake-raw.ts'
import {
  duckDbWrite,
  findWorkerdPids,
  heapLimits,
  measurePeak,
  median,
  rssMb,
  seededShuffle,
} from './measure.ts'
import { type BenchFigures, CODECS, renderReport, writeSection } from './report.ts'

const here = import.meta.dirname
const packageRoot = resolve(here, '..')
const repoRoot = resolve(here, '../../..')
const RUN_ID = '20261121T000000000Z-bench0'
const DT = '2026-11-21'
const SIZE = 10_000
const DAY_PLAYLISTS = 3
const REPEAT = 5
/** Writes of a table timed per request: one HTTP round trip (a few ms locally) is shared by them. */
const WRITES_PER_REQUEST = 5
/** Rounds of compacting the day staged each way. */
const COMPACT_ROUNDS = 3
/** Rounds of floor, normalise and whole transform, rotating which goes first. */
const ROUNDS = 15
/** Other ways to stage the message, timed in the same rounds as the chosen one (`/transform`). */
const STAGING_VARIANTS = [
  {
    name: 'ZSTD-3, the writer choosing every encoding (before)',
    path: '/transform?codec=ZSTD&encodings=writer',
  },
  { name: 'ZSTD-3, PLAIN named', path: '/transform?codec=ZSTD' },
] as const

/** A big real playlist repeats some tracks; ~5,500 distinct tracks in 10,000 items. */
const CATALOG = { tracks: 8000, albums: 1500, artists: 1200 }

type WriteResult = { rows: number; bytes: number; error?: string }

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'transformer-bench-'))
  const s3 = await startS3rver({ bucket: 'bench', directory: join(work, 's3') })
  const lake = createLakeStore({ ...s3 })
  try {
    // A day: three 10,000-item playlists from the fake catalog, stored as the extractor stores raw.
    const raws: { key: string; bytes: Uint8Array; responses: number; inflated: number }[] = []
    for (let i = 0; i < DAY_PLAYLISTS; i++) {
      const { envelope, playlistId } = await fakePlaylistRaw({
        size: SIZE,
        seed: `bench-${i}`,
        runId: RUN_ID,
        dt: DT,
        catalog: CATALOG,
      })
      const key = lakeKeys.raw({
        source: 'playlists',
        dt: DT,
        runId: RUN_ID,
        unit: `playlist-${playlistId}-p0000`,
      })
      const text = JSON.stringify(envelope)
      const bytes = await gzip(text)
      await lake.put(key, bytes)
      raws.push({ key, bytes, responses: envelope.responses.length, inflated: text.length })
    }
    const first = raws[0]!

    const config = join(work, 'wrangler.bench.jsonc')
    await writeFile(
      config,
      JSON.stringify({
        name: 'spotify-lake-transformer-bench',
        main: join(here, 'worker.ts'),
        compatibility_date: '2026-10-01',
        compatibility_flags: ['nodejs_compat'],
        vars: {
          S3_ENDPOINT: s3.endpoint,
          S3_BUCKET: s3.bucket,
          // The transformer's own IAM identity, as deployed (the local S3's IAM gate enforces its policy).
          S3_ACCESS_KEY_ID: s3.credentials['spotify-lake-transformer'].accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.credentials['spotify-lake-transformer'].secretAccessKey,
        },
      }),
    )
    const worker = await unstable_startWorker({
      config,
      dev: { server: { port: 0 }, inspector: false, logLevel: 'warn' },
    })
    await worker.ready
    const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
      const res = await worker.fetch(`http://bench${path}`, init as never)
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
      return res.json() as Promise<T>
    }
    const timed = async <T>(path: string): Promise<{ ms: number; result: T }> => {
      const started = performance.now()
      const result = await call<T>(path)
      return { ms: performance.now() - started, result }
    }
    const pids = findWorkerdPids()
    if (pids.length === 0) throw new Error('workerd process not found under this process')
    // Idle: the runtime, the bundled Worker and wrangler's proxy worker, before any transform.
    const idleMb = rssMb(pids)

    // 1. The floor, normalising alone and the whole transform of the same message, with the other ways
    //    to stage it, side by side: rounds after a warm-up, each in a shuffled order, so the machine's
    //    load (and one step's garbage) falls on all of them alike.
    await call('/load', { method: 'POST', body: first.bytes })
    const steps = ['/floor', '/normalise', '/transform', ...STAGING_VARIANTS.map((v) => v.path)]
    for (let i = 0; i < 3; i++) for (const path of steps) await call(path)
    const times: Record<string, number[]> = Object.fromEntries(steps.map((path) => [path, []]))
    const results: Record<string, { rows: number; bytes: number }> = {}
    const shuffle = seededShuffle(2026)
    for (let i = 0; i < ROUNDS; i++) {
      for (const path of shuffle(steps)) {
        const { ms, result } = await timed<{ rows: number; bytes: number }>(path)
        times[path]!.push(ms)
        results[path] = result
      }
    }

    // 2. One message as the queue runs it: S3 GET, transform, 5 staging PUTs; then the day's compaction.
    const stageRuns = []
    for (let i = 0; i < REPEAT; i++) {
      const path = `/stage?rawKey=${encodeURIComponent(first.key)}`
      stageRuns.push(await measurePeak(pids, () => call<{ tables: Record<string, { rows: number }> }>(path)))
    }
    for (const r of raws.slice(1)) await call(`/stage?rawKey=${encodeURIComponent(r.key)}`)
    const stagedDir = join(work, 'staged')
    const stagedBytes = async () => {
      let bytes = 0
      for (const key of await lake.listKeys('staging/')) bytes += (await lake.head(key))!.size
      return bytes
    }
    for (const key of [...(await lake.listKeys('staging/')), ...(await lake.listKeys('staging-rejected/'))]) {
      await mkdir(dirname(join(stagedDir, key)), { recursive: true })
      await writeFile(join(stagedDir, key), (await lake.get(key))!)
    }
    const compactDay = () =>
      measurePeak(pids, () =>
        call<{ tables: BenchFigures['compacted']; reconciliation: { itemsSeen: number } }>(
          `/compact?dt=${DT}&runId=${RUN_ID}`,
        ),
      )
    const dayStaged = await stagedBytes()
    const compact = await compactDay()
    // Compaction of the day staged each way, alternately (restaging replaces the parts: same keys), so
    // neither profits alone from the warm-up of the other.
    const compactTimes: Record<'chosen' | 'zstd', number[]> = { chosen: [], zstd: [] }
    let dayStagedZstd = 0
    for (let i = 0; i < COMPACT_ROUNDS; i++) {
      for (const way of ['zstd', 'chosen'] as const) {
        const codec = way === 'zstd' ? '&codec=ZSTD' : ''
        for (const r of raws) await call(`/stage?rawKey=${encodeURIComponent(r.key)}${codec}`)
        if (way === 'zstd') dayStagedZstd = await stagedBytes()
        compactTimes[way].push((await compactDay()).ms)
      }
    }

    // 3. Normalising alone, then Parquet encoding alone per table and codec, on rows kept in the isolate.
    const normalise = await measurePeak(pids, () => call('/normalise'))
    const writes: BenchFigures['writes'] = {}
    for (const { name, codec, level } of CODECS) {
      writes[name] = {}
      for (const table of LAKE_TABLE_NAMES) {
        const times: number[] = []
        let out: WriteResult = { rows: 0, bytes: 0 }
        for (let i = 0; i < REPEAT; i++) {
          const started = performance.now()
          out = await call<WriteResult>(
            `/write?table=${table}&codec=${codec}&level=${level ?? 3}&times=${WRITES_PER_REQUEST}`,
          )
          times.push((performance.now() - started) / WRITES_PER_REQUEST)
        }
        writes[name]![table] = { ms: median(times), ...out }
      }
    }
    await worker.dispose()

    // 4. DuckDB on the same rows (transformed here in Node by the same code): COPY alone, and load + COPY.
    const { output } = await transformRaw({ bytes: first.bytes, name: 'bench.json.gz', runId: 'bench' })
    const duck: BenchFigures['duck'] = { snappy: {}, zstd: {} }
    for (const table of LAKE_TABLE_NAMES) {
      const rows = output[table].rows
      if (rows.length === 0) continue
      for (const codec of ['snappy', 'zstd'] as const) {
        duck[codec][table] = await duckDbWrite({ table: lakeTable(table), rows, dir: work, codec })
      }
    }

    // 5. The smallest V8 heaps the floor, the transform and compaction fit in (workerd has no local cap).
    const probeFile = join(work, 'probe.json.gz')
    await writeFile(probeFile, first.bytes)
    const limits = [36, 38, 40, 42, 44, 46, 48, 52, 56, 64]
    const floorHeap = heapLimits({
      script: join(here, 'heap-probe.ts'),
      args: ['floor', probeFile],
      limits,
      cwd: packageRoot,
    })
    const transformHeap = heapLimits({
      script: join(here, 'heap-probe.ts'),
      args: ['transform', probeFile],
      limits,
      cwd: packageRoot,
    })
    const compactHeap = heapLimits({
      script: join(here, 'compact-probe.ts'),
      args: [stagedDir, RUN_ID, DT],
      limits: [24, 32, 40, 48, 56, 64, 96],
      cwd: packageRoot,
    })

    const section = renderReport({
      size: SIZE,
      dayPlaylists: DAY_PLAYLISTS,
      catalogTracks: CATALOG.tracks,
      responses: first.responses,
      rawBytes: first.bytes.length,
      inflatedBytes: first.inflated,
      idleMb,
      rounds: ROUNDS,
      floor: times['/floor']!,
      transform: times['/transform']!,
      staged: results['/transform']!,
      stagingCodec: STAGING_PARQUET.codec,
      stagingVariants: STAGING_VARIANTS.map(({ name, path }) => ({
        name,
        times: times[path]!,
        bytes: results[path]!.bytes,
      })),
      codec: LAKE_PARQUET_CODEC,
      stage: {
        ms: median(stageRuns.map((r) => r.ms)),
        peakMb: Math.max(...stageRuns.map((r) => r.peakMb)),
        rows: Object.values(stageRuns[0]!.result.tables).reduce((sum, t) => sum + t.rows, 0),
      },
      normalise: { ms: median(times['/normalise']!), peakMb: normalise.peakMb },
      normalises: times['/normalise']!,
      compact: {
        ms: median(compactTimes.chosen),
        peakMb: compact.peakMb,
        stagedRows: compact.result.reconciliation.itemsSeen,
        stagedBytes: dayStaged,
      },
      compactZstd: { ms: median(compactTimes.zstd), stagedBytes: dayStagedZstd },
      compacted: compact.result.tables,
      writes,
      duck,
      floorHeap,
      transformHeap,
      compactHeap,
    })
    console.log(section)
    await writeSection({ repoRoot, section, notes: await readFile(join(here, 'NOTES.md'), 'utf8') })
  } finally {
    await s3.close()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
