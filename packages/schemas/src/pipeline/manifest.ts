/** @module The run manifest at `runs/<run_id>.json`: status, counts, API use, rejects, reconciliation. */
import { z } from 'zod'
import { AccountIdSchema, AccountStateSchema } from './accounts.ts'
import { DtSchema, RunIdSchema } from './ids.ts'
import { ApiModeSchema } from './raw-envelope.ts'

/**
 * `running` and `deferred` (waiting out a long Spotify rate limit) are open; the rest are closed.
 * `abandoned`: the run stopped progressing (or was cancelled) and was closed without its finalize.
 */
export const RUN_STATUSES = ['running', 'deferred', 'succeeded', 'partial', 'failed', 'abandoned'] as const
export const RunStatusSchema = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof RunStatusSchema>

/** Statuses of a closed run: nothing more will be extracted for it. */
export const CLOSED_RUN_STATUSES: ReadonlySet<RunStatus> = new Set([
  'succeeded',
  'partial',
  'failed',
  'abandoned',
])

/**
 * Why a run or a unit failed, for the user: a stable `reason` code (the classification table of
 * @spotify-lake/run-coordinator/failures), the error as text (free of secrets) and what to do about it.
 */
export const RunFailureSchema = z.object({
  reason: z.string().min(1),
  message: z.string(),
  action: z.string().optional(),
  /** The unit whose error closed the run, when one did. */
  unit: z.string().optional(),
  at: z.iso.datetime(),
})
export type RunFailure = z.infer<typeof RunFailureSchema>

export const UNIT_STATUSES = [
  'pending',
  'extracted',
  'unchanged',
  'deferred',
  'failed',
  'dead_lettered',
  /** Planned but deliberately not fetched (e.g. unreadable in development mode); the reason is in `error`. */
  'skipped',
] as const
/** Manifests written before the one spelling say `dead-lettered`; they still read, as `dead_lettered`. */
export const UnitStatusSchema = z.preprocess(
  (status) => (status === 'dead-lettered' ? 'dead_lettered' : status),
  z.enum(UNIT_STATUSES),
)
export type UnitStatus = z.infer<typeof UnitStatusSchema>

/** Units nothing more will happen to: a run is done extracting once every unit ends here. */
export const TERMINAL_UNIT_STATUSES: ReadonlySet<UnitStatus> = new Set([
  'extracted',
  'unchanged',
  'failed',
  'dead_lettered',
  'skipped',
])

/** Units that delivered all they could: a run whose units all end here lost nothing at extraction. */
export const COMPLETE_UNIT_STATUSES: ReadonlySet<UnitStatus> = new Set(['extracted', 'unchanged', 'skipped'])

/** Outcome of one extraction unit, keyed by a stable unit key (`playlist:<id>:<part>`, `tracks:<batch>`). */
const UnitResultFields = z.object({
  status: UnitStatusSchema,
  attempts: z.int().nonnegative().default(0),
  rawKeys: z.array(z.string()).default([]),
  /** Records seen in raw for this unit (playlist items, catalog objects, listed playlists), for reconciliation. */
  itemsSeen: z.int().nonnegative().default(0),
  error: z.string().optional(),
  /** Reason code of `error` (see `RunFailureSchema`). */
  reason: z.string().optional(),
  /** For `deferred`: when Spotify lets us in again. */
  retryAt: z.iso.datetime().optional(),
  /** The account whose token the unit reads with (none: the app's token). */
  account: AccountIdSchema.optional(),
})
/** Manifests written before the rename call `itemsSeen` `items`; they still read. */
export const UnitResultSchema = z.preprocess((unit) => {
  if (typeof unit !== 'object' || unit === null || !('items' in unit) || 'itemsSeen' in unit) return unit
  const { items, ...rest } = unit as { items: unknown }
  return { ...rest, itemsSeen: items }
}, UnitResultFields)
export type UnitResult = z.infer<typeof UnitResultSchema>

export const ApiStatsSchema = z.object({
  calls: z.int().nonnegative().default(0),
  byEndpoint: z.record(z.string(), z.int().nonnegative()).default({}),
  retries: z.int().nonnegative().default(0),
  rateLimited: z.int().nonnegative().default(0),
  waitMs: z.number().nonnegative().default(0),
  bytes: z.int().nonnegative().default(0),
})
export type ApiStats = z.infer<typeof ApiStatsSchema>

export const TableStatsSchema = z.object({
  rows: z.int().nonnegative(),
  rejected: z.int().nonnegative(),
  /** Rows dropped by primary-key dedup at compaction (the same entity seen twice in a run). */
  duplicates: z.int().nonnegative().default(0),
  bytes: z.int().nonnegative(),
  key: z.string().optional(),
  /**
   * Whether the run's rows of this table are all there is: every unit that can write the table finished
   * and the counts reconcile. Queries take a dt's rows from its latest run complete for the table.
   */
  complete: z.boolean().optional(),
})
export type TableStats = z.infer<typeof TableStatsSchema>

export const ReconciliationSchema = z.object({
  /** Records found in raw objects (each playlist item, each catalog object, each playlist). */
  itemsSeen: z.int().nonnegative(),
  rowsWritten: z.int().nonnegative(),
  rowsRejected: z.int().nonnegative(),
  ok: z.boolean(),
})

/** A span of time (ISO 8601, exclusive) in which an account's plays may have been missed, and the poll that saw it. */
export const PossibleGapSchema = z.object({
  kind: z.literal('possible_gap'),
  unit: z.string(),
  account: AccountIdSchema,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
})
export type PossibleGap = z.infer<typeof PossibleGapSchema>

/** One catalog kind in a run: ids planned for fetching, skipped as fresh, waiting for a later run's budget. */
export const CatalogKindStatsSchema = z.object({
  /** Ids the run planned to fetch (never fetched, or older than the refresh age). */
  planned: z.int().nonnegative().default(0),
  /** Ids the run found but did not fetch: the lake holds them, fetched within the refresh age. */
  fresh: z.int().nonnegative().default(0),
  /** Due ids past the run's call budget: the next run plans them first. */
  waiting: z.int().nonnegative().default(0),
})
export type CatalogKindStats = z.infer<typeof CatalogKindStatsSchema>

/** What the catalog ledger decided for a run: its call budget, the calls it planned, and per kind the counts. */
export const CatalogRunStatsSchema = z.object({
  /** Catalog calls the run may make (`CATALOG_CALL_BUDGET`). */
  callBudget: z.int().positive(),
  /** Catalog calls planned: one per id in development mode, one per batch in extended mode. */
  calls: z.int().nonnegative().default(0),
  /** Refresh age in days (`CATALOG_REFRESH_DAYS`). */
  refreshDays: z.number().positive(),
  kinds: z.record(z.string(), CatalogKindStatsSchema).default({}),
})
export type CatalogRunStats = z.infer<typeof CatalogRunStatsSchema>

export const RunManifestSchema = z.object({
  v: z.literal(1),
  runId: RunIdSchema,
  dt: DtSchema,
  status: RunStatusSchema,
  trigger: z.enum(['cron', 'http', 'cli', 'replay', 'import']),
  apiMode: ApiModeSchema.optional(),
  force: z.boolean().default(false),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** When the run first closed; a replay keeps it (so a run's duration stays the run's). */
  finishedAt: z.iso.datetime().optional(),
  /** When `lake replay` last rebuilt the run's tables from raw. */
  replayedAt: z.iso.datetime().optional(),
  /** Set while the run waits out a long Spotify rate limit. */
  blockedUntil: z.iso.datetime().optional(),
  /** Why Spotify blocks the app: its 30 s window (`rate_limited`) or the developer account's quota (`quota_exceeded`). */
  blockedReason: z.enum(['rate_limited', 'quota_exceeded']).optional(),
  /** Why the run closed early: it could not start, hit a permanent run-wide error, stalled or was cancelled. */
  failure: RunFailureSchema.optional(),
  units: z.record(z.string(), UnitResultSchema).default({}),
  /**
   * The connected accounts the run extracts for, by account id, as they stood at its start (consent date,
   * days left, a warning from five months on) and as they end (`reauth_required` when Spotify refused one).
   */
  accounts: z.record(z.string(), AccountStateSchema).default({}),
  /** What the user should know though nothing failed: a consent about to expire, a quota block. */
  warnings: z.array(z.string()).default([]),
  /**
   * Plays that may be missing: a recently-played poll got a full page (50, Spotify's whole history)
   * every play of which was newer than the account's cursor, so plays between `from` (the cursor) and
   * `to` (the oldest play it got) may have dropped out of Spotify's history before the poll.
   */
  possibleGaps: z.array(PossibleGapSchema).default([]),
  api: ApiStatsSchema.default(ApiStatsSchema.parse({})),
  /** The catalog ledger's decisions (runs that may fetch catalog entities). */
  catalog: CatalogRunStatsSchema.optional(),
  tables: z.record(z.string(), TableStatsSchema).default({}),
  rejects: z.record(z.string(), z.int().nonnegative()).default({}),
  reconciliation: ReconciliationSchema.optional(),
  timings: z.record(z.string(), z.number().nonnegative()).default({}),
  errors: z
    .array(
      z.object({
        unit: z.string().optional(),
        reason: z.string().optional(),
        message: z.string(),
        at: z.iso.datetime(),
      }),
    )
    .default([]),
})
export type RunManifest = z.infer<typeof RunManifestSchema>
