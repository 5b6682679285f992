/** @module Bench helpers: the workerd process's peak memory (Linux /proc), medians, and DuckDB's Parquet writer on the same rows. */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { type LakeTableShape, toDuckDbType } from '@spotify-lake/schemas'
import type { Row } from '../src/normalize/collector.ts'

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return null
  }
}

/** The workerd processes started under this Node process (wrangler spawns one per dev session). */
export function findWorkerdPids(root = process.pid): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    let comm = ''
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
    } catch {
      continue
    }
    if (!comm.startsWith('workerd')) continue
    for (let p: number | null = pid; p && p > 1; p = parentOf(p)) {
      if (p === root) {
        pids.push(pid)
        break
      }
    }
  }
  return pids
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))
  return Number(line?.split(/\s+/)[1] ?? 0)
}

/** Current resident memory of the processes, in MB. */
export function rssMb(pids: readonly number[]): number {
  return pids.reduce((n, pid) => n + statusKb(pid, 'VmRSS'), 0) / 1024
}

/**
 * Peak resident memory of the workerd processes while `run` executes: the high-water mark is reset
 * first ("5" -> VmHWM = current RSS, Linux >= 4.0), so the peak is this step's own.
 */
export async function measurePeak<T>(
  pids: readonly number[],
  run: () => Promise<T>,
): Promise<{ result: T; ms: number; peakMb: number }> {
  for (const pid of pids) writeFileSync(`/proc/${pid}/clear_refs`, '5')
  const started = performance.now()
  const result = await run()
  const ms = performance.now() - started
  const peakMb = pids.reduce((n, pid) => n + statusKb(pid, 'VmHWM'), 0) / 1024
  return { result, ms, peakMb }
}

/** The same permutations on every run (mulberry32), so runs compare. */
export function seededShuffle(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return <T>(items: readonly T[]): T[] => {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** JSON Lines DuckDB can load with explicit types (instants as ISO strings). */
function toNdjson(rows: readonly Row[]): string {
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))).join('\n')
}

export interface DuckDbWrite {
  /** `COPY ... TO parquet` alone (rows already in a DuckDB table), median of `runs`. */
  copyMs: number
  /** Getting the same JS rows into DuckDB (JSON Lines, then `read_json` with the declared types), median. */
  loadMs: number
  bytes: number
}

/**
 * DuckDB writing the same rows with the same codec, one thread (a Worker has one), both ways: the
 * `COPY` alone, and the load of the JS rows that has to come first when rows start out in JavaScript.
 */
export async function duckDbWrite({
  table,
  rows,
  dir,
  codec,
  runs = 3,
}: {
  table: LakeTableShape
  rows: readonly Row[]
  dir: string
  codec: 'snappy' | 'zstd'
  runs?: number
}): Promise<DuckDbWrite> {
  const input = join(dir, `${table.name}.ndjson`)
  const instance = await DuckDBInstance.create(':memory:')
  const db = await instance.connect()
  try {
    await db.run('SET threads = 1')
    const columns = table.columns.map((c) => `'${c.name}': '${toDuckDbType(c.type)}'`).join(', ')
    const loads: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      writeFileSync(input, toNdjson(rows))
      await db.run(
        `CREATE OR REPLACE TABLE t AS SELECT * FROM read_json('${input}', format = 'newline_delimited', columns = {${columns}})`,
      )
      loads.push(performance.now() - started)
    }
    const output = join(dir, `${table.name}.duckdb.${codec}.parquet`)
    const copies: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      await db.run(`COPY t TO '${output}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 10000)`)
      copies.push(performance.now() - started)
    }
    return { copyMs: median(copies), loadMs: median(loads), bytes: statSync(output).size }
  } finally {
    db.closeSync()
    instance.closeSync()
  }
}

/**
 * Runs `script` in a child Node per V8 old-space limit; the limits under which it exited 0 every one of
 * `repeat` times. The GC runs on the main thread only (`--single-threaded-gc`), so the boundary wanders
 * less on a busy machine (concurrent marking moves it by several MB).
 */
export function heapLimits({
  script,
  args,
  limits,
  cwd,
  repeat = 2,
}: {
  script: string
  args: string[]
  limits: number[]
  cwd: string
  repeat?: number
}): Record<number, boolean> {
  const fits: Record<number, boolean> = {}
  for (const limit of limits) {
    fits[limit] = true
    for (let i = 0; i < repeat && fits[limit]; i++) {
      const child = spawnSync(
        process.execPath,
        ['--single-threaded-gc', `--max-old-space-size=${limit}`, '--import', 'tsx', script, ...args],
        { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
      )
      fits[limit] = child.status === 0
      // Only running out of heap answers the question; any other failure is a broken probe.
      if (!fits[limit] && !/heap out of memory|Allocation failed/i.test(child.stderr)) {
        throw new Error(`${script} failed under ${limit} MB, not for lack of heap:\n${child.stderr}`)
      }
    }
  }
  return fits
}
