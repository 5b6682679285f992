/**
 * @module The README's quick start through the real `./lake` script: `./lake up` runs the pipeline, prints
 * the dashboard's address and serves it over the fresh lake until Ctrl-C, which ends it with the run's exit
 * code and nothing left running.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../src/local/pipeline.ts'
import { freePort } from '../../src/local/ports.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('./lake up', () => {
  it('ends by serving the dashboard over the fresh lake until Ctrl-C', async () => {
    const state = await mkdtemp(join(tmpdir(), 'lake-up-dashboard-'))
    dirs.push(state)
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(SPOTIFY_|LAKE_)/.test(k)),
    )
    const args = [
      'up',
      '--playlists',
      '2',
      '--items',
      '8',
      '--port',
      String(await freePort()),
      '--dashboard-port',
      '0',
    ]
    const child = spawn(join(REPO_ROOT, 'lake'), args, {
      cwd: tmpdir(),
      env: { ...clean, LAKE_STATE_DIR: state },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
    })
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    try {
      const deadline = Date.now() + 240_000
      while (!/Serving until Ctrl-C/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`./lake up did not serve:\n${out}`)
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(out).toMatch(/SUCCEEDED/)
      const link = new URL(/sign in: (\S+)/.exec(out)![1]!)
      const api = (name: string) => new URL(`/api/insights/${name}`, link)
      expect((await fetch(api('playlist-size-over-time'))).status).toBe(401)
      const login = await fetch(new URL('/login', link), {
        method: 'POST',
        body: new URLSearchParams({ token: decodeURIComponent(link.hash.slice('#token='.length)) }),
        redirect: 'manual',
      })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const sizes = (await (await fetch(api('playlist-size-over-time'), { headers: { cookie } })).json()) as {
        rows: { items_total: number }[]
      }
      // Two playlists of eight items, as the run just extracted them.
      expect(sizes.rows.map((r) => r.items_total)).toEqual([8, 8])
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(out).toContain('SIGINT: dashboard stopped')
      await expect(fetch(link)).rejects.toThrow()
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
