/**
 * @module `pnpm bench` for the catalog ledger: per API mode, two runs through the local stack on a
 * catalog that changed between them (new albums by new artists released into some playlists, other
 * playlists reshuffled from albums the lake already holds). The second run's album and artist calls
 * against the new minimum (only the entities never fetched: nothing is stale within the refresh age),
 * written to BENCHMARKS.md. Figures, not assertions.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import type { FakeCatalog } from '@spotify-lake/spotify-client/fake'
import { REPO_ROOT } from '../src/local/pipeline.ts'
import { freePort } from '../src/local/ports.ts'
import { triggerRun, waitForRun } from '../src/local/run-local.ts'
import { startLocalStack } from '../src/local/stack.ts'
import { plannedPlaylists } from './minimum-calls.ts'

const PLAYLISTS = Number(process.env.BENCH_LEDGER_PLAYLISTS ?? 60)
const ITEMS = Number(process.env.BENCH_LEDGER_ITEMS ?? 100)
const CATALOG = { tracks: 3000, albums: 900, artists: 450 }
/** Between the runs: playlists that get new releases (3 albums each), and playlists reshuffled. */
const RELEASED = 6
const RESHUFFLED = 6
const MODES = ['development', 'extended'] as const
type Mode = (typeof MODES)[number]
const BATCH = { albums: 20, artists: 50 } as const

/** Album and artist ids the playlists a run extracts refer to. */
function referenced(catalog: FakeCatalog, mode: Mode, only?: ReadonlySet<string>) {
  const ids = { albums: new Set<string>(), artists: new Set<string>() }
  for (const p of plannedPlaylists(catalog, mode)) {
    if (only && !only.has(p.id)) continue
    for (const entry of p.entries) {
      if (entry.kind !== 'track') continue
      const track = catalog.trackById.get(entry.trackId)
      if (!track) continue
      ids.albums.add(track.albumId)
      for (const a of track.artistIds) ids.artists.add(a)
      for (const a of catalog.albumById.get(track.albumId)?.artistIds ?? []) ids.artists.add(a)
    }
  }
  return ids
}

/** Calls to fetch these many albums and artists: one per id in development mode, one per batch in extended. */
const callsFor = (mode: Mode, albums: number, artists: number) =>
  mode === 'development'
    ? albums + artists
    : Math.ceil(albums / BATCH.albums) + Math.ceil(artists / BATCH.artists)

const catalogCalls = (byEndpoint: Record<string, number>) =>
  Object.entries(byEndpoint)
    .filter(([e]) => /^GET \/(albums|artists)/.test(e))
    .reduce((n, [, c]) => n + c, 0)

interface LedgerResult {
  mode: Mode
  first: number
  second: number
  minimum: number
  withoutLedger: number
  newAlbums: number
  newArtists: number
  fresh: number
  status: string
  seconds: number
}

async function benchMode(mode: Mode): Promise<LedgerResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'lake-bench-ledger-'))
  const stack = await startLocalStack({
    root: REPO_ROOT,
    mode,
    playlists: PLAYLISTS,
    items: ITEMS,
    catalog: CATALOG,
    seed: 2027,
    stateDir,
    port: await freePort(),
    // The first run fetches the whole catalog: no budget in the way of the comparison.
    workerVars: { CATALOG_CALL_BUDGET: 100_000 },
    say: (line) => process.stderr.write(`[ledger ${mode}] ${line}\n`),
  })
  try {
    const fake = stack.spotify?.fake
    if (!fake) throw new Error('the bench runs against the fake Spotify')
    const run = async (dt: string) => {
      const started = Date.now()
      const runId = await triggerRun({
        workerUrl: stack.workerUrl,
        apiToken: stack.apiToken,
        dt,
        force: false,
      })
      const manifest = await waitForRun({
        workerUrl: stack.workerUrl,
        apiToken: stack.apiToken,
        runId,
        timeoutMs: 20 * 60_000,
      })
      return { manifest, seconds: (Date.now() - started) / 1000 }
    }
    const first = await run('2026-05-01')
    const before = referenced(fake.catalog, mode)
    const playlists = plannedPlaylists(fake.catalog, mode)
    const changed = new Set<string>()
    for (const p of playlists.slice(0, RELEASED)) {
      fake.releaseAlbums(p.id, { albums: 3 })
      changed.add(p.id)
    }
    for (const p of playlists.slice(RELEASED, RELEASED + RESHUFFLED)) {
      fake.mutatePlaylist(p.id)
      changed.add(p.id)
    }
    const after = referenced(fake.catalog, mode)
    const newAlbums = [...after.albums].filter((id) => !before.albums.has(id)).length
    const newArtists = [...after.artists].filter((id) => !before.artists.has(id)).length
    // Before the ledger, a run fetched every album and artist of every changed playlist again.
    const touched = referenced(fake.catalog, mode, changed)
    const second = await run('2026-05-02')
    const kinds = Object.values(second.manifest.catalog?.kinds ?? {})
    return {
      mode,
      first: catalogCalls(first.manifest.api.byEndpoint),
      second: catalogCalls(second.manifest.api.byEndpoint),
      minimum: callsFor(mode, newAlbums, newArtists),
      withoutLedger: callsFor(mode, touched.albums.size, touched.artists.size),
      newAlbums,
      newArtists,
      fresh: kinds.reduce((n, k) => n + k.fresh, 0),
      status: second.manifest.status,
      seconds: second.seconds,
    }
  } finally {
    await stack.stop()
    await rm(stateDir, { recursive: true, force: true })
  }
}

function section(results: LedgerResult[]): string {
  const lines = [
    '<!-- ledger:start -->',
    '### Catalog ledger (apps/cli, `pnpm bench`)',
    '',
    `- Date: ${new Date().toISOString()}; machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux (shared with other engineers' test runs: times vary, call counts do not).`,
    '- Command: `pnpm --filter @spotify-lake/cli bench:ledger` (also part of `pnpm bench`).',
    `- Input: the local fake Spotify, ${PLAYLISTS} playlists x ${ITEMS} items drawn from ${CATALOG.tracks} tracks, ${CATALOG.albums} albums and ${CATALOG.artists} artists (seed 2027), through the real local stack. Run 1 fetches the catalog; then ${RELEASED} playlists get 3 new albums each (each by a new artist, 2 tracks each) and ${RESHUFFLED} other playlists are reshuffled from the catalog's tracks; run 2 the next day (refresh age 30 days: nothing is stale).`,
    '- Minimum of run 2: the albums and artists never fetched before (one call per id in development mode, one per batch of 20 albums or 50 artists in extended mode). "Without the ledger": every album and artist of every changed playlist, as runs fetched before it.',
    '',
    '| Mode | Run 1 catalog calls | Run 2 catalog calls | New albums + artists | Minimum | Run 2 / minimum | Without the ledger | Skipped as fresh | Run 2 status, wall time |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const r of results)
    lines.push(
      `| ${r.mode} | ${r.first} | ${r.second} | ${r.newAlbums} + ${r.newArtists} | ${r.minimum} | **${(r.second / r.minimum).toFixed(2)}** | ${r.withoutLedger} | ${r.fresh} | ${r.status}, ${r.seconds.toFixed(1)} s |`,
    )
  lines.push('<!-- ledger:end -->')
  return lines.join('\n')
}

const results: LedgerResult[] = []
for (const mode of MODES) results.push(await benchMode(mode))
const file = join(REPO_ROOT, 'BENCHMARKS.md')
const before = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
const text = section(results)
const after = /<!-- ledger:start -->[\s\S]*<!-- ledger:end -->/.test(before)
  ? before.replace(/<!-- ledger:start -->[\s\S]*<!-- ledger:end -->/, text)
  : `${before.trimEnd()}\n\n${text}\n`
await writeFile(file, after)
process.stdout.write(`${text}\n`)
