/** @module Human-readable run summary: status, what kind of run, rows and rejects per table, API use, reconciliation. */
import {
  LAKE_TABLE_NAMES,
  type RunManifest,
  sourceOfUnit,
  tablesOfUnitKey,
  unitTypeOfKey,
} from '@spotify-lake/schemas'

/**
 * What kind of run a manifest records, by the sources of its units: `plays-poll` (the recently_played
 * source alone, as its hourly Cron Trigger starts it), `daily` (playlists and the user's snapshots, as
 * the daily Cron Trigger starts it), `daily+plays` (both, e.g. a `POST /refresh` with every source),
 * `-` for a run with no units (it failed before planning).
 */
export function runKind(m: Pick<RunManifest, 'units'>): 'plays-poll' | 'daily' | 'daily+plays' | '-' {
  const sources = new Set<string>()
  for (const key of Object.keys(m.units)) {
    const type = unitTypeOfKey(key)
    if (type !== null) sources.add(sourceOfUnit({ type }))
  }
  if (sources.size === 0) return '-'
  const plays = sources.has('recently_played')
  if (plays && sources.size === 1) return 'plays-poll'
  return plays ? 'daily+plays' : 'daily'
}

/**
 * The tables some unit of the run can write (the completeness rule's own: a table outside them is not
 * the run's to answer for, so its zero rows say nothing). Every table for a unit key no source makes.
 */
export function tablesOfRun(m: Pick<RunManifest, 'units'>): Set<string> {
  return new Set(Object.keys(m.units).flatMap((key) => tablesOfUnitKey(key) ?? LAKE_TABLE_NAMES))
}

/** One account's state: `<id> (user <id>): connected, consent until YYYY-MM-DD (N days left)`. */
export function accountLine(a: RunManifest['accounts'][string]): string {
  const until = `consent until ${a.expiresAt.slice(0, 10)} (${a.daysLeft} days left)`
  const failure = a.failure ? `: ${a.failure.reason}` : ''
  return `${a.accountId} (user ${a.userId}): ${a.status}${failure}, ${until}`
}

/**
 * The catalog ledger's figures of a run: `catalog: 12 of 1000 calls; albums 3 planned, 21 fresh, 0 waiting; ...`,
 * or null for a run without them (a plays poll, an import, a run before the ledger).
 */
export function catalogLine(m: RunManifest): string | null {
  if (!m.catalog) return null
  const kinds = Object.entries(m.catalog.kinds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, k]) => `${kind} ${k.planned} planned, ${k.fresh} fresh, ${k.waiting} waiting`)
  const days = m.catalog.refreshDays
  return `catalog: ${m.catalog.calls} of ${m.catalog.callBudget} calls (refresh after ${days} days)${kinds.length > 0 ? `; ${kinds.join('; ')}` : ''}`
}

export function printRunSummary(m: RunManifest, durationMs: number, out: (text: string) => void): void {
  const lines = [
    '',
    `Run ${m.runId} (dt=${m.dt}, ${m.apiMode ?? 'unknown'} mode): ${m.status.toUpperCase()} in ${(durationMs / 1000).toFixed(1)} s`,
  ]
  // A run closed early says why, and what to do, before anything else.
  if (m.failure) {
    lines.push(`  why: ${m.failure.reason}: ${m.failure.message}`)
    if (m.failure.action) lines.push(`  what to do: ${m.failure.action}`)
  }
  // Then what the user must act on soon: a consent about to expire, a quota block.
  for (const warning of m.warnings) lines.push(`  warning: ${warning}`)
  const accounts = Object.values(m.accounts)
  if (accounts.length > 0) {
    lines.push('', '  accounts:')
    for (const a of accounts) lines.push(`    ${accountLine(a)}`)
  }
  lines.push(
    '',
    `  ${'table'.padEnd(16)}${'rows'.padStart(8)}${'rejected'.padStart(10)}${'duplicates'.padStart(12)}${'bytes'.padStart(10)}  complete`,
  )
  const written = tablesOfRun(m)
  for (const [table, s] of Object.entries(m.tables).sort()) {
    // A table no unit of the run writes is neither complete nor missing: the run did not extract it.
    const complete =
      Object.keys(m.units).length > 0 && !written.has(table) && s.rows === 0 && s.rejected === 0
        ? 'not extracted by this run'
        : s.complete === undefined
          ? '-'
          : s.complete
            ? 'yes'
            : 'no'
    lines.push(
      `  ${table.padEnd(16)}${String(s.rows).padStart(8)}${String(s.rejected).padStart(10)}${String(s.duplicates).padStart(12)}${String(s.bytes).padStart(10)}  ${complete}`,
    )
  }
  const units: Record<string, number> = {}
  for (const u of Object.values(m.units)) units[u.status] = (units[u.status] ?? 0) + 1
  lines.push(
    '',
    `  units: ${Object.entries(units)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
    `  Spotify API: ${m.api.calls} calls, ${m.api.retries} retries, ${m.api.rateLimited} rate-limited`,
  )
  const catalog = catalogLine(m)
  if (catalog) lines.push(`  ${catalog}`)
  const rejects = Object.entries(m.rejects)
  if (rejects.length > 0) lines.push(`  rejects: ${rejects.map(([r, n]) => `${r} ${n}`).join(', ')}`)
  if (m.reconciliation) {
    const r = m.reconciliation
    const duplicates = Object.values(m.tables).reduce((sum, t) => sum + t.duplicates, 0)
    lines.push(
      `  reconciliation: ${r.itemsSeen} seen = ${r.rowsWritten} written + ${r.rowsRejected} rejected + ${duplicates} duplicates ... ${r.ok ? 'OK' : 'MISMATCH'}`,
    )
  }
  for (const e of m.errors.slice(0, 5))
    lines.push(`  error${e.unit ? ` (${e.unit})` : ''}: ${e.reason ? `${e.reason}: ` : ''}${e.message}`)
  out(`${lines.join('\n')}\n`)
}
