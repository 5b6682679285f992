import { describe, expect, it } from 'vitest'
import { filterRows, rankMovement } from '../src/client/view.ts'
import { columnsOf, PANELS, type Panel } from '../src/panels.ts'

const panel: Panel = {
  id: 'p',
  title: 'P',
  insight: 'x',
  chart: { type: 'bar', x: 'day', y: 'n' },
  date: 'day',
  account: 'account_id',
  empty: { why: 'none', action: 'wait' },
}

describe('filterRows', () => {
  const rows = [
    { day: '2026-01-01', account_id: 'a', n: 1 },
    { day: '2026-02-01T10:00:00.000Z', account_id: 'b', n: 2 },
    { day: '2026-03-01', account_id: 'a', n: 3 },
  ]
  it('keeps the days in the inclusive range and the chosen account', () => {
    expect(filterRows(panel, rows, { from: '2026-02-01', to: '', account: '' }).map((r) => r.n)).toEqual([
      2, 3,
    ])
    expect(filterRows(panel, rows, { from: '', to: '2026-02-01', account: '' }).map((r) => r.n)).toEqual([
      1, 2,
    ])
    expect(filterRows(panel, rows, { from: '', to: '', account: 'a' }).map((r) => r.n)).toEqual([1, 3])
  })
  it('keeps only the rows its where names (one time range of a top list), before the filters', () => {
    const ranged = [
      { day: '2026-01-01', account_id: 'a', time_range: 'short_term', n: 1 },
      { day: '2026-01-01', account_id: 'a', time_range: 'long_term', n: 2 },
      { day: '2026-02-01', account_id: 'b', time_range: 'short_term', n: 3 },
    ]
    const short = { ...panel, where: { time_range: 'short_term' } }
    expect(filterRows(short, ranged, { from: '', to: '', account: '' }).map((r) => r.n)).toEqual([1, 3])
    expect(filterRows(short, ranged, { from: '', to: '', account: 'a' }).map((r) => r.n)).toEqual([1])
    expect(columnsOf(short)).toContain('time_range')
  })
  it('leaves a panel without a date or account column alone', () => {
    const plain = { ...panel, date: undefined, account: undefined }
    expect(filterRows(plain, rows, { from: '2030-01-01', to: '', account: 'zz' })).toHaveLength(3)
  })
})

describe('rankMovement', () => {
  const spec = { period: 'period', label: 'name', key: 'id', rank: 'rank', limit: 3 }
  it("ranks the latest period and says each entry's move since the one before", () => {
    const rows = [
      { period: '2026-11-01', id: 'a', name: 'A', rank: 1 },
      { period: '2026-11-01', id: 'b', name: 'B', rank: 2 },
      { period: '2026-11-08', id: 'b', name: 'B', rank: 1 },
      { period: '2026-11-08', id: 'c', name: 'C', rank: 2 },
      { period: '2026-11-08', id: 'a', name: 'A', rank: 3 },
      { period: '2026-11-08', id: 'd', name: 'D', rank: 4 },
    ]
    expect(rankMovement(rows, spec)).toEqual({
      period: '2026-11-08',
      previous: '2026-11-01',
      entries: [
        { key: 'b', label: 'B', rank: 1, move: 1 },
        { key: 'c', label: 'C', rank: 2, move: null },
        { key: 'a', label: 'A', rank: 3, move: -2 },
      ],
    })
    expect(rankMovement([], spec)).toBeNull()
  })
})

describe('PANELS', () => {
  it('have unique ids and name the columns their filters read', () => {
    expect(new Set(PANELS.map((p) => p.id)).size).toBe(PANELS.length)
    for (const p of PANELS) {
      if (p.date) expect(columnsOf(p)).toContain(p.date)
      if (p.account) expect(columnsOf(p)).toContain(p.account)
      expect(p.empty.why.length + p.empty.action.length).toBeGreaterThan(20)
    }
  })
})
