/** @module Rejected records: every input the transformer cannot turn into a row, with a reason from a closed list. */

/**
 * Why a record was rejected. A closed list, so the manifest's `rejects` map and the README's quirks
 * table stay in step with the code.
 */
export const REJECT_REASONS = [
  /** The raw object is not gzip, or its gzip stream is corrupt. */
  'malformed_gzip',
  /** The (inflated) raw object or a response body is not JSON. */
  'malformed_json',
  /** The raw object is JSON but not a raw envelope. */
  'invalid_envelope',
  /** The envelope's run, dt or source differ from what the queue message says. */
  'message_mismatch',
  /** A response body that this source never carries (e.g. an album inside a `tracks` object). */
  'unexpected_payload',
  /** A response with a non-2xx HTTP status: the record it should hold is missing. */
  'http_error',
  /** A record that fails its Spotify payload schema. */
  'invalid_payload',
  /** A batch endpoint returned null for an id it was asked for (unknown or removed). */
  'not_found',
  /** A record that passed the payload schema but not the lake row schema (e.g. a new enum value). */
  'invalid_row',
  /** A transform message exhausted its retries: the raw object's records are missing until a replay. */
  'dead_lettered',
  /** An imported export play whose key an earlier play of the same import has, with other values. */
  'duplicate_conflict',
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

/** One line of `rejected/<table>/dt=.../<run_id>.jsonl.gz`. */
export interface RejectRecord {
  table: string
  reason: RejectReason
  /** Human-readable detail (first schema issue, HTTP status...). Never holds secrets: raw has none. */
  detail: string
  /** Raw object the record came from (or the input file's name offline). */
  source: string
  /** Where in the object: `responses[2].items[7]`. */
  path: string
  runId: string
  /** The offending record as found (parsed JSON when possible), so it can be fixed and replayed. */
  record: unknown
}

/** Counts per reason, the shape of the manifest's `rejects`. */
export function countByReason(rejects: readonly Pick<RejectRecord, 'reason'>[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { reason } of rejects) counts[reason] = (counts[reason] ?? 0) + 1
  return counts
}
