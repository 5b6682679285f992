/** @module Sums over a run: API counters, staged counts per table, units by status (pure). */
import type { ApiStats, ExtractUnit, RunManifest, UnitResult } from '@spotify-lake/schemas'
import type { ApiStatsDelta, RawTransformedInput, RunProgress, TableCounts } from './types.ts'

export function pending(): UnitResult {
  return { status: 'pending', attempts: 0, rawKeys: [], itemsSeen: 0 }
}

/** A pending unit that remembers the account it reads with (so an account's failure finds its units). */
export function pendingFor(unit: ExtractUnit): UnitResult {
  const account = 'accountId' in unit ? unit.accountId : undefined
  return account ? { ...pending(), account } : pending()
}

export function addApi(total: ApiStats, delta: ApiStatsDelta): void {
  total.calls += delta.calls ?? 0
  total.retries += delta.retries ?? 0
  total.rateLimited += delta.rateLimited ?? 0
  total.waitMs += delta.waitMs ?? 0
  total.bytes += delta.bytes ?? 0
  for (const [endpoint, n] of Object.entries(delta.byEndpoint ?? {})) {
    total.byEndpoint[endpoint] = (total.byEndpoint[endpoint] ?? 0) + n
  }
}

/** Where a run stands: units by status, raw keys vs transformed, and the transformer's reports summed. */
export function runProgressOf({
  manifest,
  reports,
  finalizeClaimed,
}: {
  manifest: RunManifest
  reports: readonly RawTransformedInput[]
  finalizeClaimed: boolean
}): RunProgress {
  const units: Record<string, number> = {}
  let rawKeys = 0
  for (const unit of Object.values(manifest.units)) {
    units[unit.status] = (units[unit.status] ?? 0) + 1
    rawKeys += unit.rawKeys.length
  }
  const staged: RunProgress['staged'] = { itemsSeen: 0, tables: {}, rejects: {} }
  for (const report of reports) {
    staged.itemsSeen += report.itemsSeen
    for (const [table, counts] of Object.entries(report.tables)) {
      const sum: TableCounts = staged.tables[table] ?? { rows: 0, rejected: 0 }
      sum.rows += counts.rows
      sum.rejected += counts.rejected
      staged.tables[table] = sum
    }
    for (const [reason, n] of Object.entries(report.rejects))
      staged.rejects[reason] = (staged.rejects[reason] ?? 0) + n
  }
  return { units, rawKeys, transformed: reports.length, staged, finalizeClaimed }
}
