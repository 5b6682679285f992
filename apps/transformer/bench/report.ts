/** @module The bench's figures as the transformer section of the repo's BENCHMARKS.md. */
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { ZSTD_LEVEL } from '../src/load/compressors.ts'

/** The hyparquet-writer codecs the bench compares, by report name. */
export const CODECS: readonly { name: string; codec: 'SNAPPY' | 'ZSTD' | 'GZIP'; level?: number }[] = [
  { name: 'SNAPPY', codec: 'SNAPPY' },
  { name: 'ZSTD-1', codec: 'ZSTD', level: 1 },
  { name: `ZSTD-${ZSTD_LEVEL}`, codec: 'ZSTD', level: ZSTD_LEVEL },
  { name: 'GZIP', codec: 'GZIP' },
]

export interface Timed {
  ms: number
  bytes: number
}

export interface BenchFigures {
  size: number
  dayPlaylists: number
  catalogTracks: number
  responses: number
  rawBytes: number
  inflatedBytes: number
  idleMb: number
  rounds: number
  /** Wall times of the floor and of the whole transform, round by round (shuffled order). */
  floor: number[]
  /** Normalising alone (gunzip to rows, no Parquet), in the same rounds. */
  normalises: number[]
  transform: number[]
  staged: { rows: number; bytes: number }
  /** The codec staging writes with. */
  stagingCodec: string
  /** Other ways to stage the same message, in the same rounds: wall times and staged bytes. */
  stagingVariants: { name: string; times: number[]; bytes: number }[]
  /** The codec of the lake's tables. */
  codec: string
  stage: { ms: number; peakMb: number; rows: number }
  normalise: { ms: number; peakMb: number }
  compact: { ms: number; peakMb: number; stagedRows: number; stagedBytes: number }
  /** The same day staged as ZSTD-3 instead, compacted (median, alternating with the chosen staging). */
  compactZstd: { ms: number; stagedBytes: number }
  compacted: Record<string, { rows: number; duplicates: number; bytes: number }>
  /** hyparquet-writer in workerd, per codec name and table. */
  writes: Record<string, Record<string, Timed & { rows: number; error?: string }>>
  /** DuckDB per codec and table: COPY alone and the load of the JS rows before it. */
  duck: Record<'snappy' | 'zstd', Record<string, { copyMs: number; loadMs: number; bytes: number }>>
  floorHeap: Record<number, boolean>
  transformHeap: Record<number, boolean>
  compactHeap: Record<number, boolean>
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`
const n = (value: number) => Math.round(value).toLocaleString('en')
const ms = (value: number) => `${value.toFixed(0)} ms`
const x = (value: number) => `${value.toFixed(2)}x`
const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
const mid = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!
const smallest = (fits: Record<number, boolean>) =>
  Object.entries(fits).find(([, ok]) => ok)?.[0] ?? 'none of the tried'
const tried = (fits: Record<number, boolean>) =>
  Object.entries(fits)
    .map(([limit, ok]) => `${limit} ${ok ? 'ok' : 'OOM'}`)
    .join(', ')

function totals(byTable: Record<string, Timed>): Timed {
  return Object.values(byTable).reduce((t, v) => ({ ms: t.ms + v.ms, bytes: t.bytes + v.bytes }), {
    ms: 0,
    bytes: 0,
  })
}

export function renderReport(f: BenchFigures): string {
  const lines: string[] = []
  const log = (line = '') => lines.push(line)
  const floor = mid(f.floor)
  const transform = mid(f.transform)
  const paired = mid(f.transform.map((t, i) => t / f.floor[i]!))
  log('### Transformer (apps/transformer, `pnpm bench`)')
  log()
  log(
    `- Date: ${new Date().toISOString()}; machine: ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux (shared with other engineers' test runs: single times vary, the ratios measured side by side hold better).`,
  )
  log('- Command: `pnpm --filter @spotify-lake/transformer bench` (also `pnpm bench` at the root).')
  log(
    `- Input: one raw object of a fake-catalog playlist of ${n(f.size)} items (development-mode shape, catalog of ${n(f.catalogTracks)} tracks): ${f.responses} responses, ${(f.rawBytes / 2 ** 20).toFixed(2)} MB gzip, ${(f.inflatedBytes / 2 ** 20).toFixed(1)} MB of JSON inflated, ${n(f.staged.rows)} rows; a day = ${f.dayPlaylists} such playlists.`,
  )
  log(
    '- Runtime: workerd via wrangler `unstable_startWorker` (local, compatibility_date 2026-10-01, nodejs_compat); times are wall times of each request from the Node harness; S3 = s3rver on loopback.',
  )
  log()
  log('**The transform against its floor**, inside workerd, in one run:')
  log()
  log('| Step (same raw object, no S3) | Median | Min | Max | vs the floor |')
  log('|---|---:|---:|---:|---:|')
  log(
    `| Floor: gunzip + UTF-8 decode + \`JSON.parse\` of the envelope and of every body | ${ms(floor)} | ${ms(sorted(f.floor)[0]!)} | ${ms(sorted(f.floor).at(-1)!)} | 1.00x |`,
  )
  const normalised = mid(f.normalises)
  log(
    `| Normalise: the floor + validation, rows, in-object dedup | ${ms(normalised)} | ${ms(sorted(f.normalises)[0]!)} | ${ms(sorted(f.normalises).at(-1)!)} | ${x(normalised / floor)} |`,
  )
  log(
    `| Whole transform: normalise + staged Parquet (${f.stagingCodec}) and rejects, ${kb(f.staged.bytes)} | ${ms(transform)} | ${ms(sorted(f.transform)[0]!)} | ${ms(sorted(f.transform).at(-1)!)} | **${x(transform / floor)}** |`,
  )
  log()
  log(
    `${f.rounds} rounds after 3 warm-up rounds, each in a shuffled order (with the staging variants below); the ratio of the medians is ${x(transform / floor)}, the median of the ${f.rounds} per-round ratios ${x(paired)}. Of the ${ms(transform - floor)} above the floor, about ${ms(normalised - floor)} go to validation, rows and dedup and ${ms(transform - normalised)} to Parquet.`,
  )
  log()
  renderStaging(f, log)
  log()
  log(
    `**Heap cap** (the smallest V8 old-space limit, in MB, under which the step completes twice in a row; the same code in Node, one child process per limit, single-threaded GC): floor ${smallest(f.floorHeap)} MB (${tried(f.floorHeap)}); whole transform ${smallest(f.transformHeap)} MB (${tried(f.transformHeap)}); compaction of the day ${smallest(f.compactHeap)} MB (${tried(f.compactHeap)}; staged objects held as ArrayBuffers outside the cap, as fetched bodies are). The young generation comes on top (a few MB). workerd has no per-isolate cap locally, so the resident memory below over-states what the isolate needs.`,
  )
  log()
  log('| Step (inside workerd) | Time | Rows | Rows/s | Peak RSS growth |')
  log('|---|---:|---:|---:|---:|')
  log(
    `| One message as the queue runs it: S3 GET + transform + 5 staging PUTs | ${ms(f.stage.ms)} | ${n(f.stage.rows)} | ${n(f.stage.rows / (f.stage.ms / 1000))} | ${(f.stage.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log(
    `| Normalise only (gunzip, JSON, validation, rows; median above) | ${ms(f.normalise.ms)} | ${n(f.stage.rows)} | ${n(f.stage.rows / (f.normalise.ms / 1000))} | ${(f.normalise.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log(
    `| Compact the day (${f.dayPlaylists} x ${n(f.size)} items, dedup), staged ${f.stagingCodec}: ${kb(f.compact.stagedBytes)} | ${ms(f.compact.ms)} | ${n(f.compact.stagedRows)} seen | ${n(f.compact.stagedRows / (f.compact.ms / 1000))} | ${(f.compact.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log(
    `| The same day staged ZSTD-3: ${kb(f.compactZstd.stagedBytes)} | ${ms(f.compactZstd.ms)} | ${n(f.compact.stagedRows)} seen | ${n(f.compact.stagedRows / (f.compactZstd.ms / 1000))} | |`,
  )
  log()
  log(
    'Compaction: median of 3 rounds alternating the two ways to stage the day (restaged before each), after one compaction that warms up and gives the peak.',
  )
  log()
  log(
    "**Parquet encoding only**, the message's rows (row groups of 10,000, statistics, as the lake's tables): hyparquet-writer inside workerd per codec (5 writes of a table per request, the request's time divided by 5, median of 5 requests), against DuckDB (1 thread, in process) writing the same rows both ways: `COPY ... TO parquet` alone, and loading the JS rows (JSON Lines + `read_json` with the declared types) then `COPY`.",
  )
  log()
  const ds = f.duck.snappy
  const dz = f.duck.zstd
  const duckTotal = (d: typeof dz, part: 'copyMs' | 'loadMs') =>
    Object.values(d).reduce((t, v) => t + v[part], 0)
  const duckBytes = (d: typeof dz) => Object.values(d).reduce((t, v) => t + v.bytes, 0)
  const copyZ = duckTotal(dz, 'copyMs')
  const loadZ = duckTotal(dz, 'loadMs')
  const bytesZ = duckBytes(dz)
  log(
    '| Writer, codec | Time | Size | Time vs DuckDB zstd COPY alone | vs DuckDB zstd load + COPY | Size vs DuckDB zstd |',
  )
  log('|---|---:|---:|---:|---:|---:|')
  for (const { name } of CODECS) {
    const byTable = f.writes[name] ?? {}
    const failed = Object.entries(byTable).filter(([, w]) => w.error)
    if (failed.length > 0) {
      log(`| hyparquet-writer ${name} | failed: ${failed[0]![1].error} | | | | |`)
      continue
    }
    const t = totals(Object.fromEntries(Object.entries(byTable).filter(([table]) => dz[table])))
    log(
      `| hyparquet-writer ${name} (workerd) | ${ms(t.ms)} | ${kb(t.bytes)} | ${x(t.ms / copyZ)} | ${x(t.ms / (loadZ + copyZ))} | ${x(t.bytes / bytesZ)} |`,
    )
  }
  log(
    `| DuckDB snappy, COPY alone (load + COPY) | ${ms(duckTotal(ds, 'copyMs'))} (${ms(duckTotal(ds, 'loadMs') + duckTotal(ds, 'copyMs'))}) | ${kb(duckBytes(ds))} | | | |`,
  )
  log(
    `| DuckDB zstd, COPY alone (load + COPY) | ${ms(copyZ)} (${ms(loadZ + copyZ)}) | ${kb(bytesZ)} | 1.00x | | 1.00x |`,
  )
  log()
  const chosen =
    f.writes[
      CODECS.find((c) => c.codec === f.codec && (c.codec !== 'ZSTD' || c.level === ZSTD_LEVEL))!.name
    ] ?? {}
  log(`Per table, hyparquet-writer ${f.codec} in workerd against DuckDB zstd COPY alone:`)
  log()
  log('| Table | Rows | hyparquet | DuckDB COPY | Time ratio | Size ratio |')
  log('|---|---:|---:|---:|---:|---:|')
  for (const [table, h] of Object.entries(chosen)) {
    const d = dz[table]
    if (!d || h.rows === 0) continue
    log(
      `| ${table} | ${n(h.rows)} | ${kb(h.bytes)}, ${ms(h.ms)} | ${kb(d.bytes)}, ${ms(d.copyMs)} | ${x(h.ms / d.copyMs)} | ${x(h.bytes / d.bytes)} |`,
    )
  }
  log()
  log(
    `Compacted day: ${Object.entries(f.compacted)
      .map(([t, c]) => `${t} ${n(c.rows)} rows (${n(c.duplicates)} duplicates dropped, ${kb(c.bytes)})`)
      .join('; ')}.`,
  )
  return lines.join('\n')
}

/** The staging variants against the chosen one, from the same rounds. */
function renderStaging(f: BenchFigures, log: (line?: string) => void) {
  const floor = mid(f.floor)
  const perRound = (times: number[]) => mid(times.map((t, i) => t / f.floor[i]!))
  log('**How staging writes**, the whole transform each way, in the same rounds:')
  log()
  log('| Staged Parquet | Staged size | Whole transform | vs the floor (per-round median) |')
  log('|---|---:|---:|---:|')
  log(
    `| ${f.stagingCodec}, PLAIN named (chosen) | ${kb(f.staged.bytes)} | ${ms(mid(f.transform))} | ${x(mid(f.transform) / floor)} (${x(perRound(f.transform))}) |`,
  )
  for (const v of f.stagingVariants) {
    log(
      `| ${v.name} | ${kb(v.bytes)} | ${ms(mid(v.times))} | ${x(mid(v.times) / floor)} (${x(perRound(v.times))}) |`,
    )
  }
}

/** Replaces this package's section of BENCHMARKS.md (other packages keep theirs), then formats it as biome does. */
export async function writeSection({
  repoRoot,
  section,
  notes,
}: {
  repoRoot: string
  section: string
  notes: string
}) {
  const path = join(repoRoot, 'BENCHMARKS.md')
  const start = '<!-- transformer:start -->'
  const end = '<!-- transformer:end -->'
  const block = `${start}\n${section}\n\n${notes.trim()}\n${end}`
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    text = '# Benchmarks\n\nFigures from `pnpm bench`; each package owns its section.\n'
  }
  const at = text.indexOf(start)
  text =
    at >= 0
      ? text.slice(0, at) + block + text.slice(text.indexOf(end) + end.length)
      : `${text.trimEnd()}\n\n${block}\n`
  await writeFile(path, text)
  spawnSync('biome', ['format', '--write', path], { cwd: repoRoot, stdio: 'ignore' })
}
