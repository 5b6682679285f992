/**
 * @module `pnpm bench`: what one queue invocation of each Worker costs against the Workers plan limits (CPU
 * time and subrequests per invocation), measured on a local run. wrangler dev logs each queue invocation with
 * its batch size and wall time (`QUEUE <queue> n/m (X ms)`); the local S3's IAM gate and the fake Spotify
 * record every request with its time and caller, so the requests inside an invocation's time window are that
 * invocation's. Wall time includes the (loopback) I/O, so it is an upper bound of the CPU time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import type { GateRequest } from '@spotify-lake/lake-store/testing'
import { REPO_ROOT, runLocalPipeline } from '../src/local/pipeline.ts'
import { freePort } from '../src/local/ports.ts'

const PLAYLISTS = Number(process.env.BENCH_PLAYLISTS ?? 20)
const ITEMS = Number(process.env.BENCH_ITEMS ?? 300)
const CATALOG = { tracks: 1500, albums: 500, artists: 250 }
const MODES = ['development', 'extended'] as const

interface Invocation {
  queue: string
  messages: number
  wallMs: number
  end: number
}

interface Measured {
  kind: 'extract' | 'transform' | 'finalize'
  messages: number
  wallMs: number
  s3: number
  spotify: number
}

const QUEUE_LINE = /QUEUE (\S+) (\d+)\/(\d+) \((\d+)ms\)/

async function measureMode(mode: (typeof MODES)[number]): Promise<{ rows: Measured[]; items: number }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'lake-bench-limits-'))
  const invocations: Invocation[] = []
  const s3: GateRequest[] = []
  try {
    const result = await runLocalPipeline({
      stack: {
        mode,
        playlists: PLAYLISTS,
        items: ITEMS,
        catalog: CATALOG,
        seed: 7,
        stateDir,
        port: await freePort(),
        onS3Request: (entry) => s3.push(entry),
        onWorkerLine: (line) => {
          const m = QUEUE_LINE.exec(line)
          if (m)
            invocations.push({ queue: m[1]!, messages: Number(m[3]), wallMs: Number(m[4]), end: Date.now() })
        },
      },
      timeoutMs: 20 * 60_000,
      say: (line) => process.stderr.write(`[${mode}] ${line}\n`),
      afterRun: async (stack) => {
        // The finalize invocation ends (and is logged) just after the manifest closes.
        await new Promise((resolve) => setTimeout(resolve, 3_000))
        return stack.spotify!.fake.requests.map((r) => Date.parse(r.timestamp))
      },
    })
    const spotify = result.after ?? []
    if (process.env.BENCH_DEBUG) {
      await writeFile(`${process.env.BENCH_DEBUG}-${mode}.json`, JSON.stringify({ invocations, s3, spotify }))
    }
    // A little slack around each window: the log line arrives just after the invocation ends. Locally two
    // invocations of a queue can overlap; a request inside both windows counts half for each.
    const inWindow = (at: number, inv: Invocation) => at >= inv.end - inv.wallMs - 5 && at <= inv.end + 5
    const live = invocations.filter((inv) => !inv.queue.endsWith('-dlq'))
    const workerOf = (inv: Invocation) =>
      inv.queue.includes('extract') ? 'spotify-lake-worker' : 'spotify-lake-transformer'
    const share = (times: readonly number[], of: (inv: Invocation) => boolean) => {
      const counts = new Map<Invocation, number>()
      for (const at of times) {
        const holders = live.filter((inv) => of(inv) && inWindow(at, inv))
        for (const inv of holders) counts.set(inv, (counts.get(inv) ?? 0) + 1 / holders.length)
      }
      return counts
    }
    const s3Counts = new Map<Invocation, number>()
    for (const worker of ['spotify-lake-worker', 'spotify-lake-transformer']) {
      const times = s3.filter((r) => r.principal === worker).map((r) => r.at)
      for (const [inv, n] of share(times, (inv) => workerOf(inv) === worker)) s3Counts.set(inv, n)
    }
    const spotifyCounts = share(spotify, (inv) => workerOf(inv) === 'spotify-lake-worker')
    const rows = live.map((inv): Measured => {
      const worker = workerOf(inv)
      const finalize = s3.some(
        (r) =>
          r.principal === worker &&
          r.operation === 'PutObject' &&
          r.key?.startsWith('tables/') &&
          inWindow(r.at, inv),
      )
      return {
        kind: worker === 'spotify-lake-worker' ? 'extract' : finalize ? 'finalize' : 'transform',
        messages: inv.messages,
        wallMs: inv.wallMs,
        s3: Math.round(s3Counts.get(inv) ?? 0),
        spotify: Math.round(spotifyCounts.get(inv) ?? 0),
      }
    })
    return { rows, items: result.manifest.tables.playlist_items?.rows ?? 0 }
  } finally {
    await rm(stateDir, { recursive: true, force: true })
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
}

function section(results: { mode: string; rows: Measured[]; items: number }[]): string {
  const lines = [
    '<!-- limits:start -->',
    '### Per queue invocation, against the Workers plan limits (apps/cli, `pnpm bench`)',
    '',
    `- Date: ${new Date().toISOString()}; machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux, shared with other work (times are indicative).`,
    '- Command: `pnpm --filter @spotify-lake/cli exec tsx bench/per-invocation.ts` (part of `pnpm bench`).',
    `- Input: the local stack (wrangler dev, local queues, the IAM-gated local S3, the fake Spotify), ${PLAYLISTS} playlists x ${ITEMS} items from ${CATALOG.tracks} tracks, ${CATALOG.albums} albums, ${CATALOG.artists} artists; the consumers' own batch sizes (extract up to 4 messages, transform up to 5), `,
    '- How: wrangler logs each queue invocation with its batch size and wall time; every S3 request (IAM gate, by caller) and Spotify request (fake) inside that time window is counted for it (half for each, where two invocations of a queue overlap locally). Wall time includes loopback I/O, so it bounds the CPU time from above. Not counted: Durable Object RPCs and queue sends (a few per message: claim, report, enqueue), which count against the same per-invocation budget.',
    '- Free plan: 10 ms CPU and 50 subrequests per invocation. Paid: 30 s CPU by default (up to 5 min), 10,000 subrequests.',
    '',
    '| Mode | Invocation | Count | Messages (max) | Wall ms p50 / p95 / max | S3 requests p50 / max | Spotify requests p50 / max |',
    '|---|---|---:|---:|---:|---:|---:|',
  ]
  for (const { mode, rows } of results) {
    for (const kind of ['extract', 'transform', 'finalize'] as const) {
      const of = rows.filter((r) => r.kind === kind)
      if (of.length === 0) continue
      const wall = of.map((r) => r.wallMs)
      const s3 = of.map((r) => r.s3)
      const spotify = of.map((r) => r.spotify)
      lines.push(
        `| ${mode} | ${kind} | ${of.length} | ${Math.max(...of.map((r) => r.messages))} | ${quantile(wall, 0.5)} / ${quantile(wall, 0.95)} / ${Math.max(...wall)} | ${quantile(s3, 0.5)} / ${Math.max(...s3)} | ${kind === 'extract' ? `${quantile(spotify, 0.5)} / ${Math.max(...spotify)}` : '-'} |`,
      )
    }
  }
  lines.push('<!-- limits:end -->')
  return lines.join('\n')
}

const results: { mode: string; rows: Measured[]; items: number }[] = []
for (const mode of MODES) results.push({ mode, ...(await measureMode(mode)) })
const file = join(REPO_ROOT, 'BENCHMARKS.md')
const before = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
const text = section(results)
const marker = /<!-- limits:start -->[\s\S]*<!-- limits:end -->/
await writeFile(file, marker.test(before) ? before.replace(marker, text) : `${before.trimEnd()}\n\n${text}\n`)
process.stdout.write(`${text}\n`)
