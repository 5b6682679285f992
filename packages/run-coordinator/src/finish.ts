/**
 * @module The rule that closes a run's manifest with its figures: one function for the coordinator's
 * `finalized` and for a replay (which rebuilds a run whose coordinator may be long gone).
 */
import type { RunManifest } from '@spotify-lake/schemas'
import type { FinalizedInput } from './types.ts'

/**
 * The manifest `m` closed with the figures of its finalize: a run closed early (failed at once,
 * abandoned) keeps its status and reason; a rate-limit block no longer applies. `finishedAt` keeps the
 * first close (a run's duration stays the run's); a `replay` stamps `replayedAt` instead. Changes `m` in place.
 */
export function finishManifest(
  m: RunManifest,
  { status, tables, reconciliation, rejects, timings = {} }: FinalizedInput,
  { stamp, replay = false }: { stamp: string; replay?: boolean },
): void {
  if (m.failure === undefined) m.status = status
  m.tables = tables
  if (rejects) m.rejects = { ...rejects }
  m.reconciliation = reconciliation
  m.timings = { ...m.timings, ...timings }
  m.finishedAt = m.finishedAt ?? stamp
  if (replay) m.replayedAt = stamp
  m.updatedAt = stamp
  delete m.blockedUntil
  delete m.blockedReason
}
