/** @module The bench's figures as the transformer section of the repo's BENCHMARKS.md. */
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

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
  idleMb: number
  stage: { ms: number; peakMb: number; rows: number }
  normalise: { ms: number; peakMb: number }
  compact: { ms: number; peakMb: number; stagedRows: number }
  compacted: Record<string, { rows: number; duplicates: number; bytes: number }>
  codecs: string[]
  /** hyparquet-writer in workerd, per codec and table. */
  writes: Record<string, Record<string, Timed & { rows: number; error?: string }>>
  /** DuckDB `COPY ... TO parquet`, per codec and table. */
  duck: Record<'snappy' | 'zstd', Record<string, Timed>>
  nodeHyparquetMs: number
  transformHeap: Record<number, boolean>
  compactHeap: Record<number, boolean>
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`
const n = (value: number) => Math.round(value).toLocaleString('en')
const perSecond = (count: number, ms: number) => n(count / (ms / 1000))
const smallest = (fits: Record<number, boolean>) =>
  Object.entries(fits).find(([, ok]) => ok)?.[0] ?? 'none of the tried'
const tried = (fits: Record<number, boolean>) =>
  Object.entries(fits)
    .map(([limit, ok]) => `${limit} MB ${ok ? 'ok' : 'OOM'}`)
    .join(', ')

function total(byTable: Record<string, Timed>): Timed {
  return Object.values(byTable).reduce((s, v) => ({ ms: s.ms + v.ms, bytes: s.bytes + v.bytes }), {
    ms: 0,
    bytes: 0,
  })
}

export function renderReport(f: BenchFigures): string {
  const lines: string[] = []
  const log = (line = '') => lines.push(line)
  log('### Transformer (apps/transformer, `pnpm bench`)')
  log()
  log(
    `- Date: ${new Date().toISOString()}; machine: ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux (shared with other test runs: times are indicative).`,
  )
  log('- Command: `pnpm --filter @spotify-lake/transformer bench` (also `pnpm bench` at the root).')
  log(
    `- Input: a fake-catalog playlist of ${n(f.size)} items (development-mode shape, catalog of ${n(f.catalogTracks)} tracks, ${f.responses} responses, ${(f.rawBytes / 2 ** 20).toFixed(2)} MB gzip raw object); a day = ${f.dayPlaylists} such playlists.`,
  )
  log(
    '- Runtime: workerd via wrangler `unstable_startWorker` (local, compatibility_date 2026-10-01, nodejs_compat); S3 = s3rver on loopback.',
  )
  log(
    `- Memory, two measures: **heap cap** = the smallest V8 old-space limit under which the step completes (same code in Node, one child process per limit); **RSS** = peak resident memory of the workerd processes during the request (Linux VmHWM, reset before each step) minus their idle ${f.idleMb.toFixed(0)} MB. workerd has no per-isolate cap locally, so V8 lets garbage pile up and RSS over-states what the isolate needs; the heap cap is the bound that holds.`,
  )
  log()
  log('| Step (inside workerd) | Time | Rows | Rows/s | Items/s | Heap cap | Peak RSS growth |')
  log('|---|---:|---:|---:|---:|---:|---:|')
  log(
    `| One message: GET raw + transform + stage 5 tables (${n(f.size)} items) | ${f.stage.ms.toFixed(0)} ms | ${n(f.stage.rows)} | ${perSecond(f.stage.rows, f.stage.ms)} | ${perSecond(f.size, f.stage.ms)} | ${smallest(f.transformHeap)} MB | ${(f.stage.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log(
    `| Normalise only (gunzip, JSON, zod, rows) | ${f.normalise.ms.toFixed(0)} ms | ${n(f.stage.rows)} | ${perSecond(f.stage.rows, f.normalise.ms)} | ${perSecond(f.size, f.normalise.ms)} | | ${(f.normalise.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log(
    `| Compact the day (${f.dayPlaylists} x ${n(f.size)} items, dedup) | ${f.compact.ms.toFixed(0)} ms | ${n(f.compact.stagedRows)} seen | ${perSecond(f.compact.stagedRows, f.compact.ms)} | ${perSecond(f.size * f.dayPlaylists, f.compact.ms)} | ${smallest(f.compactHeap)} MB | ${(f.compact.peakMb - f.idleMb).toFixed(0)} MB |`,
  )
  log()
  log(
    `Heap caps tried: one message ${tried(f.transformHeap)}; compaction ${tried(f.compactHeap)} (staged objects held as ArrayBuffers outside the cap, as fetched bodies are). The young generation comes on top of the old-space cap (a few MB). Rows = the playlist items plus the catalog rows left after in-object dedup.`,
  )
  log()
  log(
    "Parquet encoding only, the playlist's rows: hyparquet-writer inside workerd vs DuckDB (1 thread, `COPY ... TO` parquet, the same rows, the same codec, row groups of 10,000):",
  )
  log()
  log(
    '| Table | Rows | hyparquet SNAPPY | DuckDB snappy | Size ratio | Time ratio | hyparquet ZSTD | DuckDB zstd |',
  )
  log('|---|---:|---:|---:|---:|---:|---:|---:|')
  const snappy = f.writes.SNAPPY ?? {}
  const zstd = f.writes.ZSTD ?? {}
  for (const [table, h] of Object.entries(snappy)) {
    const d = f.duck.snappy[table]
    const dz = f.duck.zstd[table]
    if (!d || !dz || h.rows === 0) continue
    const z = zstd[table]
    const zCell = z && !z.error ? `${kb(z.bytes)}, ${z.ms.toFixed(0)} ms` : 'failed'
    log(
      `| ${table} | ${n(h.rows)} | ${kb(h.bytes)}, ${h.ms.toFixed(0)} ms | ${kb(d.bytes)}, ${d.ms.toFixed(0)} ms | ${(h.bytes / d.bytes).toFixed(2)} | ${(h.ms / d.ms).toFixed(1)} | ${zCell} | ${kb(dz.bytes)}, ${dz.ms.toFixed(0)} ms |`,
    )
  }
  const hs = total(Object.fromEntries(Object.entries(snappy).filter(([t]) => f.duck.snappy[t])))
  const ds = total(f.duck.snappy)
  const dz = total(f.duck.zstd)
  const zstdErrors = Object.entries(zstd).filter(([, w]) => w.error)
  const hz = zstdErrors.length === 0 ? total(zstd) : null
  log(
    `| **all** | | **${kb(hs.bytes)}, ${hs.ms.toFixed(0)} ms** | **${kb(ds.bytes)}, ${ds.ms.toFixed(0)} ms** | **${(hs.bytes / ds.bytes).toFixed(2)}** | **${(hs.ms / ds.ms).toFixed(1)}** | ${hz ? `${kb(hz.bytes)}, ${hz.ms.toFixed(0)} ms` : 'failed'} | ${kb(dz.bytes)}, ${dz.ms.toFixed(0)} ms |`,
  )
  log()
  if (zstdErrors.length > 0) {
    log(
      `ZSTD through workerd's node:zlib failed on ${zstdErrors.map(([t]) => t).join(', ')}: "${zstdErrors[0]![1].error}".`,
    )
    log()
  }
  const gzipWrites = f.writes.GZIP
  if (gzipWrites) {
    const g = total(Object.fromEntries(Object.entries(gzipWrites).filter(([t]) => f.duck.snappy[t])))
    log(
      `hyparquet-writer GZIP (node:zlib) in workerd on the same rows: ${kb(g.bytes)}, ${g.ms.toFixed(0)} ms in all.`,
    )
    log()
  }
  log(
    `Codecs offered in workerd: ${f.codecs.join(', ')}. hyparquet-writer SNAPPY in Node on the same rows: ${f.nodeHyparquetMs.toFixed(0)} ms in all.`,
  )
  log()
  log(
    `Compacted day: ${Object.entries(f.compacted)
      .map(([t, s]) => `${t} ${n(s.rows)} rows (${n(s.duplicates)} duplicates dropped, ${kb(s.bytes)})`)
      .join('; ')}.`,
  )
  return lines.join('\n')
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
