/** @module Tests of the standalone fake: argument parsing and a real spawned server. */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseFakeCliArgs } from '../../src/fake/cli-args.ts'

const BIN = fileURLToPath(new URL('../../bin/fake-spotify.ts', import.meta.url))

describe('standalone fake (bin/fake-spotify.ts)', () => {
  it('parses options into startFakeSpotify options and rejects bad ones clearly', () => {
    expect(
      parseFakeCliArgs([
        '--port',
        '0',
        '--mode',
        'extended',
        '--sizes',
        '10000, 3',
        '--rotate-refresh-token',
      ]),
    ).toEqual({
      port: 0,
      mode: 'extended',
      sizes: [10_000, 3],
      rotateRefreshToken: true,
    })
    expect(parseFakeCliArgs([])).toEqual({ port: 8787, mode: 'development' })
    expect(parseFakeCliArgs(['--help'])).toBe('help')
    expect(parseFakeCliArgs(['--', '--port', '1'])).toEqual({ port: 1, mode: 'development' })
    expect(() => parseFakeCliArgs(['--mode', 'legacy'])).toThrow(/--mode must be development or extended/)
    expect(() => parseFakeCliArgs(['--port', 'x'])).toThrow(/--port must be a non-negative integer/)
    expect(() => parseFakeCliArgs(['--bogus'])).toThrow()
  })

  it('starts a real server, prints its URL and credentials as one JSON line, stops on SIGTERM', async () => {
    // Node 24 runs the TypeScript entry point directly (type stripping); this is the pnpm `fake` script's code.
    const child = spawn(process.execPath, [BIN, '--port', '0', '--sizes', '5,2', '--mode', 'extended'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
      const info = JSON.parse(line) as {
        url: string
        clientId: string
        playlists: { id: string; total: number }[]
      }
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(info.playlists.map((p) => p.total)).toEqual([5, 2, 10])
      const catalog = (await (await fetch(`${info.url}/__fake/catalog`)).json()) as { mode: string }
      expect(catalog.mode).toBe('extended')
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })
})
