/**
 * @module `pnpm bench` for the whole pipeline: one local end-to-end run per API mode (200 playlists x 100
 * items by default) through wrangler dev, with its API calls against the minimum for the mode, written
 * to BENCHMARKS.md. Figures, not assertions.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, freemem, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, runLocalPipeline } from '../src/local/pipeline.ts'
import { freePort } from '../src/local/ports.ts'
import { minimumCalls } from './minimum-calls.ts'

const PLAYLISTS = Number(process.env.BENCH_PLAYLISTS ?? 200)
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100)
/** Catalog pools: real playlists share some tracks, not all; each distinct album and artist costs calls. */
const CATALOG = {
  tracks: Number(process.env.BENCH_TRACKS ?? 4000),
  albums: Number(process.env.BENCH_ALBUMS ?? 1200),
  artists: Number(process.env.BENCH_ARTISTS ?? 600),
}
const MODES = ['development', 'extended'] as const

interface ModeResult {
  mode: (typeof MODES)[number]
  status: string
  seconds: number
  items: number
  rows: Record<string, number>
  actual: Record<string, number>
  minimum: Record<string, number>
  /** Token-endpoint calls while the run went on, by grant type (the broker's budget: one per token per hour). */
  tokenCalls: Record<string, number>
}

async function benchMode(mode: (typeof MODES)[number]): Promise<ModeResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'lake-bench-'))
  try {
    const result = await runLocalPipeline({
      stack: {
        mode,
        playlists: PLAYLISTS,
        items: ITEMS,
        catalog: CATALOG,
        seed: 2026,
        stateDir,
        port: await freePort(),
        // One run measures fetching the whole catalog: the catalog ledger's per-run budget must not cut it.
        workerVars: { CATALOG_CALL_BUDGET: 100_000 },
      },
      timeoutMs: 30 * 60_000,
      say: (line) => process.stderr.write(`[${mode}] ${line}\n`),
      afterRun: async (stack) => {
        const tokenCalls: Record<string, number> = {}
        for (const r of stack.spotify!.fake.requests)
          if (r.path === '/api/token')
            tokenCalls[r.grantType ?? '?'] = (tokenCalls[r.grantType ?? '?'] ?? 0) + 1
        return { minimum: minimumCalls(stack.spotify!.fake.catalog, mode), tokenCalls }
      },
    })
    const m = result.manifest
    return {
      mode,
      status: m.status,
      seconds: result.durationMs / 1000,
      items: m.tables.playlist_items?.rows ?? 0,
      rows: Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rows])),
      actual: m.api.byEndpoint,
      minimum: result.after?.minimum ?? {},
      tokenCalls: result.after?.tokenCalls ?? {},
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true })
  }
}

function section(results: ModeResult[]): string {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
  const lines = [
    '<!-- e2e:start -->',
    '### End to end (apps/cli, `pnpm bench`)',
    '',
    `- Date: ${new Date().toISOString()}; machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB RAM (${Math.round(freemem() / 2 ** 30)} GB free), Linux.`,
    '- Command: `pnpm --filter @spotify-lake/cli bench` (also `pnpm bench` at the root).',
    `- Input: the local fake Spotify, ${PLAYLISTS} playlists x ${ITEMS} items drawn from ${CATALOG.tracks} tracks, ${CATALOG.albums} albums and ${CATALOG.artists} artists (seed 2026), through the real local stack: s3rver, both Workers under wrangler dev with local queues and the RunCoordinator Durable Object, the run started by POST /refresh and followed to its end.`,
    '- Minimum calls: one `auto` mode probe, the `/me/playlists` listing (no `GET /me`: the account comes with the plan), one metadata call per extracted playlist plus the item pages past the 100 embedded items, each referenced album and artist once in the largest batch the mode allows.',
    '',
    '| Mode | Status | Wall time | Items | Items/s | API calls | Minimum | Calls / minimum |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of results) {
    const actual = sum(r.actual)
    const minimum = sum(r.minimum)
    lines.push(
      `| ${r.mode} | ${r.status} | ${r.seconds.toFixed(1)} s | ${r.items} | ${Math.round(r.items / r.seconds)} | ${actual} | ${minimum} | ${(actual / minimum).toFixed(2)} |`,
    )
  }
  for (const r of results) {
    lines.push('', `Calls by endpoint, ${r.mode} (actual / minimum):`, '')
    const endpoints = [...new Set([...Object.keys(r.actual), ...Object.keys(r.minimum)])].sort()
    for (const e of endpoints) lines.push(`- \`${e}\`: ${r.actual[e] ?? 0} / ${r.minimum[e] ?? 0}`)
    lines.push(
      `- rows: ${Object.entries(r.rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
      `- token-endpoint calls (the token broker; the session's account is seeded at the run's start): ${
        Object.entries(r.tokenCalls)
          .map(([grant, n]) => `${grant} ${n}`)
          .join(', ') || 'none'
      }`,
    )
  }
  lines.push('<!-- e2e:end -->')
  return lines.join('\n')
}

const results: ModeResult[] = []
for (const mode of MODES) results.push(await benchMode(mode))
const file = join(REPO_ROOT, 'BENCHMARKS.md')
const before = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
const text = section(results)
const after = /<!-- e2e:start -->[\s\S]*<!-- e2e:end -->/.test(before)
  ? before.replace(/<!-- e2e:start -->[\s\S]*<!-- e2e:end -->/, text)
  : `${before.trimEnd()}\n\n${text}\n`
await writeFile(file, after)
process.stdout.write(`${text}\n`)
