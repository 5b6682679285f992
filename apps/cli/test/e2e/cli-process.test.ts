/**
 * @module E2e through the `lake` process itself, as a user runs it: `run --local --json`, `query` over the
 * lake it left, clear errors before anything starts, and Ctrl-C that stops every process of the stack.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensurePortFree, freePort } from '../../src/local/ports.ts'

const cwd = fileURLToPath(new URL('../..', import.meta.url))
const tsxCli = fileURLToPath(import.meta.resolve('tsx/cli'))

interface Lake {
  child: ChildProcess
  out: () => string
  err: () => string
  exited: Promise<number | null>
}

/** Starts `lake <args>` as its own process with the given state folder and no Spotify credentials. */
function lake(stateDir: string, args: string[], env: Record<string, string> = {}): Lake {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SPOTIFY_|LAKE_)/.test(k)))
  const child = spawn(process.execPath, [tsxCli, 'src/main.ts', ...args], {
    cwd,
    env: { ...clean, LAKE_STATE_DIR: stateDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, out: () => out, err: () => err, exited }
}

/** Every process below `pid` (children, their children...), from `ps`. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
  const found: number[] = []
  const walk = (parent: number) => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child)
        walk(child)
      }
    }
  }
  walk(pid)
  return found
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const until = async (what: string, ok: () => boolean, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('the lake process', () => {
  let stateDir: string
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'lake-cli-e2e-'))
  })
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true })
  })

  it('run --local --json runs the pipeline, prints the summary; query and runs read the lake it left', async () => {
    const port = await freePort()
    const run = lake(stateDir, [
      'run',
      '--local',
      '--json',
      '--playlists',
      '3',
      '--items',
      '25',
      '--seed',
      '5',
      '--port',
      String(port),
    ])
    const code = await run.exited
    expect(code, run.err()).toBe(0)
    const summary = JSON.parse(run.out())
    expect(summary).toMatchObject({
      status: 'succeeded',
      api_mode: 'development',
      reconciliation: { ok: true },
    })
    expect(summary.run_id).toMatch(/^\d{8}T\d{9}Z-/)
    expect(summary.api_calls).toBeGreaterThan(0)
    expect(summary.duration_ms).toBeGreaterThan(0)
    expect(summary.rows.playlist_items).toBeGreaterThan(0)
    // Progress went to stderr, so stdout is the JSON alone.
    expect(run.err()).toMatch(/S3 server/)

    const query = lake(stateDir, [
      'query',
      'SELECT count(*) AS items, count(DISTINCT playlist_id) AS playlists FROM playlist_items',
      '--format',
      'json',
    ])
    expect(await query.exited, query.err()).toBe(0)
    const [row] = JSON.parse(query.out())
    expect(Number(row.items)).toBe(summary.rows.playlist_items)
    expect(Number(row.playlists)).toBe(summary.rows.playlists)

    // The manifest the Workers wrote is what `lake runs` lists and shows.
    const runs = lake(stateDir, ['runs', '--json'])
    expect(await runs.exited, runs.err()).toBe(0)
    expect(JSON.parse(runs.out())).toEqual([
      expect.objectContaining({ run_id: summary.run_id, status: 'succeeded', rows: summary.rows }),
    ])
    const show = lake(stateDir, ['runs', 'show', summary.run_id])
    expect(await show.exited, show.err()).toBe(0)
    expect(show.out()).toMatch(
      new RegExp(`Run ${summary.run_id} \\(dt=${summary.dt}, development mode\\): SUCCEEDED`),
    )
    expect(show.out()).toMatch(/reconciliation: .* OK/)
  })

  it('says clearly when the port is taken or real Spotify has no credentials, before starting anything', async () => {
    const server: Server = createServer()
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    )
    try {
      const busy = lake(stateDir, ['run', '--local', '--port', String(port)])
      expect(await busy.exited).toBe(1)
      expect(busy.err()).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`))
    } finally {
      server.close()
    }
    const real = lake(stateDir, ['run', '--local', '--real', '--port', String(await freePort())])
    expect(await real.exited).toBe(1)
    expect(real.err()).toMatch(
      /real Spotify mode needs SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET, SPOTIFY_REFRESH_TOKEN/,
    )
  })

  it('Ctrl-C mid-run stops every process it started and frees the port', async () => {
    const port = await freePort()
    const run = lake(stateDir, [
      'run',
      '--local',
      '--playlists',
      '3',
      '--items',
      '200',
      '--port',
      String(port),
    ])
    // Once the run is under way, the whole stack (wrangler, workerd) runs below the CLI.
    await until('the run to start', () => /run \d{8}T/i.test(run.out()))
    const below = descendants(run.child.pid!)
    const commands = execFileSync('ps', ['-o', 'args=', '-p', below.join(',')], { encoding: 'utf8' })
    expect(commands).toMatch(/wrangler/)
    expect(commands).toMatch(/workerd/)
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(130)
    expect(run.err()).toMatch(/SIGINT: stopping the local stack/)
    await until('the stack to be gone', () => below.every((pid) => !alive(pid)), 15_000)
    await ensurePortFree(port)
  })
})
