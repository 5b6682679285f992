/** @module The recorded fixtures exist once: a byte-identical copy anywhere else in the repository fails. */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RECORDED_DIR, recorded, recordedNames } from '../src/index.ts'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
/** Folders no one commits fixtures into: installs, build output, local state. */
const SKIP = new Set(['node_modules', '.git', '.turbo', '.wrangler', 'dist', 'cdktf.out', 'coverage'])

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.lake') || SKIP.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else if (entry.isFile()) yield path
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('recorded fixtures', () => {
  it('are the 33 responses with the licence of every source they name', () => {
    const names = recordedNames()
    expect(names).toHaveLength(33)
    const sources = new Set(names.map((name) => name.split('--')[1]))
    for (const source of sources) expect(statSync(`${RECORDED_DIR}LICENSE-${source}`).size).toBeGreaterThan(0)
    expect(readFileSync(`${RECORDED_DIR}SOURCES.md`, 'utf8')).toMatch(/## Sources and licenses/)
  })

  it('read by name, with or without .json, and filter by endpoint kind', () => {
    expect(recorded('track--zmb3--find_track')).toEqual(recorded('track--zmb3--find_track.json'))
    expect(recordedNames({ kinds: ['several-tracks'] })).toEqual([
      'several-tracks--zmb3--find_tracks_notfound.json',
      'several-tracks--zmb3--find_tracks_simple.json',
    ])
  })

  it('have no byte-identical copy elsewhere in the repository', () => {
    const ours = new Map<string, string>()
    const sizes = new Set<number>()
    for (const name of readdirSync(RECORDED_DIR)) {
      const path = `${RECORDED_DIR}${name}`
      ours.set(sha256(path), name)
      sizes.add(statSync(path).size)
    }
    const copies: string[] = []
    for (const path of files(REPO)) {
      if (path.startsWith(RECORDED_DIR) || !sizes.has(statSync(path).size)) continue
      const name = ours.get(sha256(path))
      if (name) copies.push(`${relative(REPO, path)} copies ${name}`)
    }
    expect(copies, 'import @spotify-lake/spotify-fixtures instead of copying').toEqual([])
  })
})
