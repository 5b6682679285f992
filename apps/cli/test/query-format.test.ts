/** @module Output formats in isolation: empty results, repeated column names, wide characters. */
import { describe, expect, it } from 'vitest'
import { formatCsv, formatJson, formatResult, formatTable } from '../src/query/format.ts'

describe('formats', () => {
  it('prints an empty result as a header and a zero row count, an empty CSV header, an empty JSON array', () => {
    const empty = { columns: ['playlist_id', 'n'], rows: [] }
    expect(formatTable(empty)).toBe('playlist_id | n\n------------+--\n(0 rows)\n')
    expect(formatCsv(empty)).toBe('playlist_id,n\r\n')
    expect(formatJson(empty)).toBe('[]\n')
  })

  it('keeps every value of a repeated column name in JSON', () => {
    const result = { columns: ['a', 'a_2', 'a'], rows: [[1, 2, 3]] }
    expect(JSON.parse(formatResult({ result, format: 'json' }))).toEqual([{ a: 1, a_2: 2, a_3: 3 }])
  })

  it('aligns by code points and keeps nested values as JSON', () => {
    const result = {
      columns: ['name', 'genres'],
      rows: [
        ['Sigur Rós', ['post-rock']],
        ['Björk', []],
      ],
    }
    expect(formatTable(result)).toBe(
      'name      | genres\n----------+--------------\nSigur Rós | ["post-rock"]\nBjörk     | []\n(2 rows)\n',
    )
  })
})
