import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseInsightQuery, readInsightQueries } from '../src/insight-queries.ts'
import { FIXTURE_SQL_DIR } from './support/synth.ts'

describe('readInsightQueries', () => {
  it('reads each .sql file: name from the file, description from the leading comments', () => {
    const queries = readInsightQueries({ dir: FIXTURE_SQL_DIR })
    expect(queries.map((q) => q.name)).toEqual(['top-tracks'])
    expect(queries[0]!.description).toBe(
      'The most frequent tracks across playlists on the latest dt, with how many playlists carry each.',
    )
    expect(queries[0]!.sql.startsWith('SELECT item_id')).toBe(true)
    expect(queries[0]!.sql).not.toContain('--')
  })

  it('returns an empty list for a folder that does not exist yet', () => {
    expect(readInsightQueries({ dir: join(tmpdir(), 'no-such-insight-folder') })).toEqual([])
  })

  it('sorts by name and ignores anything that is not a .sql file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insights-'))
    writeFileSync(join(dir, 'b.sql'), '-- B\nSELECT 2')
    writeFileSync(join(dir, 'a.sql'), '-- A\r\nSELECT 1\r\n')
    writeFileSync(join(dir, 'notes.md'), '# not a query')
    mkdirSync(join(dir, 'folder.sql'))
    expect(readInsightQueries({ dir })).toEqual([
      { name: 'a', description: 'A', sql: 'SELECT 1' },
      { name: 'b', description: 'B', sql: 'SELECT 2' },
    ])
  })
})

describe('parseInsightQuery', () => {
  it('rejects a file without a description, without SQL, or with an unsafe name', () => {
    expect(() => parseInsightQuery({ name: 'x', text: 'SELECT 1' })).toThrow(/description/)
    expect(() => parseInsightQuery({ name: 'x', text: '-- only a comment\n\n' })).toThrow(/no SQL/)
    expect(() => parseInsightQuery({ name: 'Top Tracks', text: '-- d\nSELECT 1' })).toThrow(/file name/)
  })
})
