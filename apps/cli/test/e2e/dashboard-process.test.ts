/**
 * @module `./lake dashboard` as a user starts it: over the local lake a stack left in the state folder,
 * it prints the address and a sign-in link, answers the API only to a session, and Ctrl-C (SIGINT) or
 * SIGTERM ends it cleanly (exit 0, port free, no process left).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore } from '@spotify-lake/lake-store'
import { startS3rver } from '@spotify-lake/lake-store/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../src/local/pipeline.ts'
import { writeFixture } from '../support/query-lake.ts'
import { Oracle } from '../support/query-oracle.ts'

const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A state folder whose .lake/s3 holds the test lake, as `lake up` would have left one. */
async function stateWithLake(): Promise<string> {
  const state = await mkdtemp(join(tmpdir(), 'lake-dashboard-e2e-'))
  dirs.push(state)
  const s3 = await startS3rver({ directory: join(state, 's3'), bucket: 'spotify-lake' })
  try {
    await writeFixture(createLakeStore({ ...s3, style: 'path' }))
  } finally {
    await s3.close()
  }
  return state
}

function dashboard(state: string, signal: NodeJS.Signals, extraEnv: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SPOTIFY_|LAKE_)/.test(k)))
  const child = spawn(join(REPO_ROOT, 'lake'), ['dashboard', '--port', '0'], {
    cwd: tmpdir(),
    env: { ...clean, LAKE_STATE_DIR: state, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const ready = async () => {
    const deadline = Date.now() + 120_000
    while (!/Serving until Ctrl-C/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`./lake dashboard did not start:\n${out}\n${err}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const url = new URL(/Dashboard: (\S+)/.exec(out)![1]!)
    const link = /sign in: (\S+)/.exec(out)?.[1]
    return { url, token: link ? decodeURIComponent(new URL(link).hash.replace(/^#token=/, '')) : '' }
  }
  return { child, ready, exited, out: () => out, err: () => err, stop: () => child.kill(signal) }
}

describe('./lake dashboard', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves the local lake to a session, then stops on %s',
    async (signal) => {
      const state = await stateWithLake()
      const lake = dashboard(state, signal)
      const { url, token } = await lake.ready()
      expect(lake.out()).toContain(`Dashboard: ${url.href}`)

      const api = new URL('/api/insights/listening-minutes-per-day', url)
      expect((await fetch(api)).status).toBe(401)
      const login = await fetch(new URL('/login', url), {
        method: 'POST',
        body: new URLSearchParams({ token }),
        redirect: 'manual',
      })
      const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? ''
      const res = await fetch(api, { headers: { cookie } })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { rows: unknown[] }).rows).toEqual(
        new Oracle()['listening-minutes-per-day'](),
      )

      lake.stop()
      expect(await lake.exited).toBe(0)
      expect(lake.err()).toContain(`${signal}: dashboard stopped`)
      await expect(fetch(url)).rejects.toThrow()
    },
  )

  it('never prints a token the user chose (LAKE_DASHBOARD_TOKEN), and takes it at the login', async () => {
    const state = await stateWithLake()
    const chosen = 'my-own-dashboard-token-8c1f'
    const lake = dashboard(state, 'SIGINT', { LAKE_DASHBOARD_TOKEN: chosen })
    const { url } = await lake.ready()
    expect(lake.out() + lake.err()).not.toContain(chosen)
    expect(lake.out()).toContain('with $LAKE_DASHBOARD_TOKEN')
    const login = await fetch(new URL('/login', url), {
      method: 'POST',
      body: new URLSearchParams({ token: chosen }),
      redirect: 'manual',
    })
    expect(login.headers.get('location')).toBe('/')
    lake.stop()
    expect(await lake.exited).toBe(0)
  })
})
