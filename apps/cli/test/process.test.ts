/** @module `lake` as a real process through tsx, as `pnpm lake` runs it: output and exit codes. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const cwd = fileURLToPath(new URL('..', import.meta.url))
const tsxCli = fileURLToPath(import.meta.resolve('tsx/cli'))

function lake(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, 'src/main.ts', ...args], { cwd, encoding: 'utf8' })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

describe('lake process', () => {
  it('prints Glue JSON for a table and exits 0', () => {
    const { code, out, err } = lake('schema', '--format', 'glue', '--table', 'artists')
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(JSON.parse(out)[0].columns.map((c: { name: string }) => c.name)).toContain('followers')
  })

  it('exits 2 on an unknown command and a bad format', () => {
    const unknown = lake('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/unknown command "frobnicate"/)
    const bad = lake('schema', '--format', 'xml')
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/unknown format "xml"; valid formats: athena, glue, duckdb, parquet/)
  })
})
