/** @module Pure helpers of the page: filtering rows, the rank movement, the text of a cell. */
import type { InsightValue } from '../contract.ts'
import type { Panel } from '../panels.ts'

export type Row = Record<string, InsightValue>

export interface Filters {
  /** YYYY-MM-DD, inclusive; empty: open. */
  from: string
  to: string
  /** Empty: every account. */
  account: string
}

/** The rows of a panel its `where` and the filters keep (the date filter compares the column's first 10 characters). */
export function filterRows(panel: Panel, rows: readonly Row[], filters: Filters): Row[] {
  const where = Object.entries(panel.where ?? {})
  return rows.filter((row) => {
    if (where.some(([column, value]) => row[column] !== value)) return false
    if (panel.date) {
      const day = String(row[panel.date] ?? '').slice(0, 10)
      if (filters.from && day < filters.from) return false
      if (filters.to && day > filters.to) return false
    }
    if (panel.account && filters.account && row[panel.account] !== filters.account) return false
    return true
  })
}

export function cellText(value: InsightValue | undefined): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

export interface RankEntry {
  key: string
  label: string
  rank: number
  /** Places gained since the period before (negative: lost); null: new in this period. */
  move: number | null
}

/**
 * The latest period's first `limit` entries by rank, each with its move since the period before. Rows
 * of several accounts rank on their own: pass one account's rows.
 */
export function rankMovement(
  rows: readonly Row[],
  spec: { period: string; label: string; rank: string; key?: string; limit: number },
): { period: string; previous: string | null; entries: RankEntry[] } | null {
  const periods = [...new Set(rows.map((r) => cellText(r[spec.period])))].sort()
  const period = periods.at(-1)
  if (period === undefined) return null
  const previous = periods.at(-2) ?? null
  const keyOf = (r: Row) => cellText(r[spec.key ?? spec.label])
  const before = new Map(
    rows.filter((r) => cellText(r[spec.period]) === previous).map((r) => [keyOf(r), Number(r[spec.rank])]),
  )
  const entries = rows
    .filter((r) => cellText(r[spec.period]) === period)
    .map((r) => {
      const rank = Number(r[spec.rank])
      const was = before.get(keyOf(r))
      return {
        key: keyOf(r),
        label: cellText(r[spec.label]),
        rank,
        move: was === undefined ? null : was - rank,
      }
    })
    .sort((a, b) => a.rank - b.rank)
    .slice(0, spec.limit)
  return { period, previous, entries }
}
