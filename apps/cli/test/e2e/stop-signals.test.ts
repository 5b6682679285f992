/**
 * @module Stopping `./lake` the ways a user does, through the real `./lake` script: a signal to its process
 * (SIGTERM, SIGHUP as when the terminal closes) stops every process it started, removes the config copies
 * that hold the session's secrets and cancels its run, so the next run starts; a hard kill (SIGKILL)
 * leaves nothing readable by others, and the next start ends what it left.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../src/local/pipeline.ts'
import { ensurePortFree, freePort } from '../../src/local/ports.ts'

interface Lake {
  child: ChildProcess
  out: () => string
  err: () => string
  exited: Promise<number | null>
}

/** `./lake <args>` as a user starts it (the script, not the CLI module), with its own state folder. */
function lake(stateDir: string, args: string[]): Lake {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SPOTIFY_|LAKE_)/.test(k)))
  const child = spawn(join(REPO_ROOT, 'lake'), args, {
    cwd: tmpdir(),
    env: { ...clean, LAKE_STATE_DIR: stateDir },
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
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  )
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

const until = async (what: string, ok: () => boolean, timeoutMs = 180_000) => {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const configCopies = (stateDir: string) => {
  const dir = join(stateDir, 'wrangler-config')
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.jsonc')) : []
}

/** A run under way: its id, and the processes below ./lake (wrangler, workerd) once they are there. */
async function startedRun(
  stateDir: string,
  port: number,
): Promise<{ run: Lake; runId: string; below: number[] }> {
  const run = lake(stateDir, ['run', '--local', '--playlists', '3', '--items', '200', '--port', String(port)])
  await until('the run to start', () => /run \S+ started/.test(run.out()) || run.child.exitCode !== null)
  const runId = /run (\S+) started/.exec(run.out())?.[1]
  if (!runId) throw new Error(`./lake did not start a run:\n${run.out()}\n${run.err()}`)
  const below = descendants(run.child.pid!)
  const commands = execFileSync('ps', ['-o', 'args=', '-p', below.join(',')], { encoding: 'utf8' })
  expect(commands).toMatch(/wrangler/)
  expect(commands).toMatch(/workerd/)
  expect(configCopies(stateDir)).toHaveLength(2)
  return { run, runId, below }
}

/** The manifest of `runId` in the state folder's local lake, through `./lake runs show`. */
async function manifestOf(stateDir: string, runId: string) {
  const show = lake(stateDir, ['runs', 'show', runId, '--json'])
  expect(await show.exited, show.err()).toBe(0)
  return JSON.parse(show.out()) as { status: string; failure?: { reason: string; message: string } }
}

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})
const stateFolder = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lake-signals-'))
  dirs.push(dir)
  // As a umask of 022 leaves a new folder (mkdtemp's own is owner-only): the stack must close it.
  await chmod(dir, 0o755)
  return dir
}

describe('stopping ./lake', () => {
  it.each([
    ['SIGTERM', 143, true],
    ['SIGHUP', 129, false],
  ] as const)(
    '%s to its process stops everything it started, removes the config copies and cancels its run',
    async (signal, code, runAgain) => {
      const stateDir = await stateFolder()
      const port = await freePort()
      const { run, runId, below } = await startedRun(stateDir, port)
      run.child.kill(signal)
      expect(await run.exited).toBe(code)
      expect(run.err()).toContain(`${signal}: stopping the local stack`)
      await until('the stack to be gone', () => below.every((pid) => !alive(pid)), 15_000)
      await ensurePortFree(port)
      expect(configCopies(stateDir)).toEqual([])
      expect(existsSync(join(stateDir, 'stack.json'))).toBe(false)
      // The run it started is closed with why, so its lock is free.
      const manifest = await manifestOf(stateDir, runId)
      expect(manifest).toMatchObject({ status: 'abandoned', failure: { reason: 'cancelled' } })
      expect(manifest.failure?.message).toContain(signal)
      if (!runAgain) return
      // The next run starts without --force.
      const next = lake(stateDir, [
        'run',
        '--local',
        '--json',
        '--playlists',
        '2',
        '--items',
        '20',
        '--port',
        String(port),
      ])
      expect(await next.exited, next.err()).toBe(0)
      expect(JSON.parse(next.out())).toMatchObject({ status: 'succeeded' })
    },
  )

  it('after a hard kill (SIGKILL), nothing it left is readable by others, and the next start ends it', async () => {
    const stateDir = await stateFolder()
    const port = await freePort()
    const { run, runId, below } = await startedRun(stateDir, port)
    run.child.kill('SIGKILL')
    await run.exited
    // SIGKILL cannot be caught: wrangler lives on, and the config copies (the secrets) stay on disk...
    expect(below.some(alive)).toBe(true)
    const configDir = join(stateDir, 'wrangler-config')
    // ...owner-only, in an owner-only folder; the whole state folder (the lake's listening data) too.
    expect(statSync(stateDir).mode & 0o077).toBe(0)
    expect(statSync(configDir).mode & 0o077).toBe(0)
    for (const name of configCopies(stateDir)) expect(statSync(join(configDir, name)).mode & 0o077).toBe(0)

    // The next start, on the same port: it ends the orphaned processes, replaces the copies, and cancels
    // the run the killed stack left open (its queued work died with it) instead of answering 409.
    const next = lake(stateDir, [
      'run',
      '--local',
      '--json',
      '--playlists',
      '2',
      '--items',
      '20',
      '--port',
      String(port),
    ])
    expect(await next.exited, next.err()).toBe(0)
    expect(next.err()).toMatch(/cleaned up +ended wrangler dev \(process group \d+\) left by a stopped lake/)
    expect(next.err()).toMatch(
      new RegExp(`run ${runId} was left open by a stopped local stack .*cancelling it`),
    )
    expect(JSON.parse(next.out())).toMatchObject({ status: 'succeeded' })
    expect(below.filter(alive)).toEqual([])
    expect(configCopies(stateDir)).toEqual([])
    expect(await manifestOf(stateDir, runId)).toMatchObject({
      status: 'abandoned',
      failure: { reason: 'cancelled' },
    })
  })
})
