/** @module Object keys of the lake: the one place that spells the S3 layout. */
import { RAW_FOLDERS, type RawFolder } from '../sources/registry.ts'
import type { Dt, RunId } from './ids.ts'

/** Unit names become file names: keep them to a safe alphabet. */
const SAFE_UNIT = /^[A-Za-z0-9._-]{1,200}$/

function safeUnit(unit: string): string {
  if (!SAFE_UNIT.test(unit)) throw new Error(`unsafe unit name for an object key: ${JSON.stringify(unit)}`)
  return unit
}

export const lakeKeys = {
  /** `raw/<folder>/dt=<dt>/<run_id>/<name>.json.gz`: immutable, gzip JSON envelope; `parseRaw` reads it back. */
  raw: ({ source, dt, runId, unit }: { source: RawFolder; dt: Dt; runId: RunId; unit: string }) =>
    `raw/${source}/dt=${dt}/${runId}/${safeUnit(unit)}.json.gz`,
  /** Prefix of every raw object of a run (for replay). */
  rawRunPrefix: ({ source, dt, runId }: { source: RawFolder; dt: Dt; runId: RunId }) =>
    `raw/${source}/dt=${dt}/${runId}/`,
  /** Prefix of every raw object of one folder and dt (every run's). */
  rawDtPrefix: ({ source, dt }: { source: RawFolder; dt: Dt }) => `raw/${source}/dt=${dt}/`,
  /** `staging/<table>/dt=<dt>/<run_id>/<part>.parquet`: per-message output, removed by compaction. */
  staging: ({ table, dt, runId, part }: { table: string; dt: Dt; runId: RunId; part: string }) =>
    `staging/${table}/dt=${dt}/${runId}/${safeUnit(part)}.parquet`,
  stagingRunPrefix: ({ table, dt, runId }: { table: string; dt: Dt; runId: RunId }) =>
    `staging/${table}/dt=${dt}/${runId}/`,
  /** Staged rejects of one message, merged at compaction. */
  stagingRejected: ({ table, dt, runId, part }: { table: string; dt: Dt; runId: RunId; part: string }) =>
    `staging-rejected/${table}/dt=${dt}/${runId}/${safeUnit(part)}.jsonl.gz`,
  stagingRejectedRunPrefix: ({ table, dt, runId }: { table: string; dt: Dt; runId: RunId }) =>
    `staging-rejected/${table}/dt=${dt}/${runId}/`,
  /** `tables/<table>/dt=<dt>/<run_id>.parquet`: one compacted file per table, dt and run. */
  table: ({ table, dt, runId }: { table: string; dt: Dt; runId: RunId }) =>
    `tables/${table}/dt=${dt}/${runId}.parquet`,
  tablePrefix: (table: string) => `tables/${table}/`,
  /** `rejected/<table>/dt=<dt>/<run_id>.jsonl.gz`: every rejected record with its reason. */
  rejected: ({ table, dt, runId }: { table: string; dt: Dt; runId: RunId }) =>
    `rejected/${table}/dt=${dt}/${runId}.jsonl.gz`,
  /**
   * `raw/privacy_export/dt=<dt>/<run_id>/<file>-<part>-<name>.json.gz`: a part of one play file of an
   * imported privacy export, a JSON array of its records as the file had them less their personal fields
   * (IP addresses, user agents, usernames), one per line, gzip. Not a raw folder of a source: replay
   * does not read it (the transformer's import message does; importing again adds nothing twice).
   */
  rawImport: ({ dt, runId, file }: { dt: Dt; runId: RunId; file: string }) =>
    `raw/privacy_export/dt=${dt}/${runId}/${safeUnit(file)}.json.gz`,
  /** `runs/<run_id>.json`: the run manifest. */
  manifest: (runId: RunId) => `runs/${runId}.json`,
  manifestPrefix: 'runs/',
  /**
   * Small pipeline state: per playlist, the snapshot id its last complete extraction saw (written when the
   * extraction finishes). The Spotify rate-limit block is not here: the global RunCoordinator holds it.
   */
  state: (name: string) => `state/${safeUnit(name)}.json`,
  /**
   * `dashboard-cache/<dt>/<run_id>/<insight>.json`: the dashboard's answer of an insight as of the lake's
   * latest run (`none` before any), so a page view costs no Athena query until a new run lands.
   */
  dashboardCache: ({ run, insight }: { run: string; insight: string }) =>
    `dashboard-cache/${run}/${safeUnit(insight)}.json`,
} as const

/** A raw object key taken apart: the inverse of `lakeKeys.raw`. */
export interface RawKeyParts {
  source: RawFolder
  dt: Dt
  /** As found in the key; callers that need a valid run id check it with `RunIdSchema`. */
  runId: RunId
  /** The object's name without `.json.gz` (the unit's raw name): a staging part is named after it. */
  unit: string
}

const RAW_KEY = /^raw\/([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/([^/]+)\/([A-Za-z0-9._-]{1,200})\.json\.gz$/

/** The parts of a key `lakeKeys.raw` builds, or null for any other key (a stray object, a foreign folder). */
export function parseRawKey(key: string): RawKeyParts | null {
  const match = RAW_KEY.exec(key)
  if (!match) return null
  const [, source, dt, runId, unit] = match as unknown as [string, string, string, string, string]
  if (!(RAW_FOLDERS as readonly string[]).includes(source)) return null
  return { source: source as RawFolder, dt, runId, unit }
}
