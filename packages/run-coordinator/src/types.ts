/** @module The run coordinator's RPC contract: inputs and results shared by the worker and the transformer. */
import type {
  AccountState,
  ApiMode,
  ApiStats,
  CatalogKind,
  Dt,
  ExtractUnit,
  RunFailure,
  RunId,
  RunManifest,
  RunStatus,
} from '@spotify-lake/schemas'

/** The subset of `DurableObjectStorage['kv']` the ledgers use; a `Map` wrapper stands in for it in tests. */
export interface SyncKv {
  get<T = unknown>(key: string): T | undefined
  put<T>(key: string, value: T): void
  delete(key: string): boolean
  list<T = unknown>(options?: { prefix?: string }): Iterable<[string, T]>
}

export type UnitStatus = RunManifest['units'][string]['status']

export type RunTrigger = RunManifest['trigger']

export interface BeginInput {
  runId: RunId
  dt: Dt
  trigger: RunTrigger
  force: boolean
  /** An open run with no report for this long is closed as `abandoned` (default 30 minutes). */
  stallTimeoutMs?: number | undefined
  /** The connected accounts the run extracts for, as they stand at its start (by account id). */
  accounts?: Record<string, AccountState> | undefined
  /** Warnings the run starts with (a consent about to expire). */
  warnings?: readonly string[] | undefined
  /**
   * The catalog ledger's rules for a run that may fetch catalog entities (a daily run; a plays poll
   * has none). Without it, every id found is fetched and nothing waits.
   */
  catalog?: CatalogPolicy | undefined
}

/** How a run fetches catalog entities: against the ledger across runs, within a call budget. */
export interface CatalogPolicy {
  /** Catalog calls the run may make (`CATALOG_CALL_BUDGET`); due ids past it wait for the next run. */
  callBudget: number
  /** An id fetched this long ago (ms) or longer is due again (`CATALOG_REFRESH_DAYS`). */
  refreshAfterMs: number
  /** `id`: one GET per id (development mode); `batch`: one call per unit (extended mode's batch endpoints). */
  callsPer: CatalogCallsPer
  /** Ids per unit, per kind. */
  batchSizes: Record<CatalogKind, number>
}

export type CatalogCallsPer = 'id' | 'batch'

/** Why Spotify keeps the app out: its rolling window, or the developer account's quota. */
export type BlockReason = 'rate_limited' | 'quota_exceeded'

/** One account's token was refused for good (`invalid_grant`): its units fail, the run goes on for the others. */
export interface FailAccountInput {
  accountId: string
  failure: Omit<RunFailure, 'at'>
  /** What the user should do, shown with the account (e.g. `open https://<worker>/connect`). */
  warning?: string | undefined
}

/** Closing an open run early, with why (a `FailureRule` reason, or `stalled` / `cancelled`). */
export interface CloseInput {
  status: Extract<RunStatus, 'failed' | 'abandoned'>
  failure: Omit<RunFailure, 'at'>
}

/** Whether the holder of the active-run lock is a live run. */
export interface Liveness {
  /** `open`: running or deferred, reporting within its stall timeout; `closed`: finished or closed now. */
  state: 'open' | 'closed' | 'unknown'
  status: RunStatus | null
  /** ISO instant of the run's last report, or null. */
  activityAt: string | null
}

/** A unit of extraction work under its stable key (see `unitKey`). */
export interface PlannedUnit {
  key: string
  unit: ExtractUnit
}

export interface PlanCatalogInput {
  /** The unit that found the ids; planning is idempotent per (parentKey, kind), so a retried parent re-gets its units. */
  parentKey: string
  kind: CatalogKind
  ids: readonly string[]
  /** Ids per planned unit (the mode's largest batch). */
  batchSize: number
  /** How the run's mode counts calls (default: the policy's at `begin`, else one per id). */
  callsPer?: CatalogCallsPer | undefined
}

/** Partial API counters of one message, summed into the manifest. */
export type ApiStatsDelta = Partial<ApiStats>

export interface UnitExtractedInput {
  key: string
  /** Raw objects written for this unit; each must be reported by `rawTransformed` before the run can finalize. */
  rawKeys: readonly string[]
  /** Records seen in those raw objects (playlist items, catalog objects, playlists). */
  itemsSeen: number
  api?: ApiStatsDelta | undefined
  apiMode?: ApiMode | undefined
  /** The unit stopped early (a transient failure after it secured pages); its next part goes on from there. */
  interrupted?: { reason: string; message: string } | undefined
  /** A recently-played poll that may have missed plays: recorded in `possibleGaps` with a warning. */
  possibleGap?: { account: string; from: string; to: string } | undefined
}

export interface UnitFailedInput {
  key: string
  /** Already free of secrets: the coordinator stores it as given. */
  error: string
  /** Permanent failures (404, 403) end the unit; transient ones only count the attempt. */
  permanent: boolean
  /** The failure's reason code (see `FAILURE_RULES`). */
  reason?: string | undefined
  /** Raw objects written before the failure (e.g. the playlist before a 403 on its items). */
  rawKeys?: readonly string[] | undefined
  api?: ApiStatsDelta | undefined
}

export interface UnitSkippedInput {
  key: string
  /** Why it is not fetched (free of secrets), e.g. "development mode: owned by x, not collaborative". */
  reason: string
  /** The account that may not read it: a unit another account planned since is left alone. */
  account?: string | undefined
}

export interface UnitDeferredInput {
  key: string
  /** ISO-8601 instant Spotify lets us in again. */
  retryAt: string
  /** Why: the 30 s window (default) or the developer account's quota. */
  reason?: BlockReason | undefined
  api?: ApiStatsDelta | undefined
}

export interface TableCounts {
  rows: number
  rejected: number
}

export interface RawTransformedInput {
  rawKey: string
  tables: Record<string, TableCounts>
  /** Rejected records by reason. */
  rejects: Record<string, number>
  itemsSeen: number
}

export interface FinalizedInput {
  status: Extract<RunStatus, 'succeeded' | 'partial' | 'failed'>
  tables: RunManifest['tables']
  reconciliation: NonNullable<RunManifest['reconciliation']>
  /** Rejected records per reason, over every table. */
  rejects?: RunManifest['rejects'] | undefined
  timings?: Record<string, number> | undefined
}

/** Where a run stands, for `claimFinalize` callers and the transformer's reconciliation. */
export interface RunProgress {
  units: Record<string, number>
  rawKeys: number
  transformed: number
  /** Sum of every `rawTransformed` report (each raw key counted once). */
  staged: {
    itemsSeen: number
    tables: Record<string, TableCounts>
    rejects: Record<string, number>
  }
  finalizeClaimed: boolean
}

export type AcquireResult = { acquired: true } | { acquired: false; activeRunId: RunId; since: string }

/**
 * The typed RPC surface of the `RunCoordinator` Durable Object. Per-run methods are called on
 * `idFromName(runId)`, lock and rate-limit methods on `idFromName('global')`.
 */
export interface RunCoordinatorRpc {
  // per run
  begin(input: BeginInput): Promise<RunManifest>
  planUnits(units: readonly PlannedUnit[], parentKey?: string): Promise<PlannedUnit[]>
  unitStatus(key: string): Promise<UnitStatus | null>
  apiMode(): Promise<ApiMode | null>
  /**
   * Plans catalog batches of the ids a unit found: ids the catalog ledger holds fresh are skipped, due
   * ones are claimed once per run and batched within the run's call budget; the rest waits (recorded
   * in the global ledger for the next run).
   */
  planCatalog(input: PlanCatalogInput): Promise<PlannedUnit[]>
  flushCatalog(claimant: string): Promise<PlannedUnit[]>
  unitExtracted(input: UnitExtractedInput): Promise<void>
  unitUnchanged(input: UnitExtractedInput): Promise<void>
  unitFailed(input: UnitFailedInput): Promise<void>
  unitsSkipped(units: readonly UnitSkippedInput[]): Promise<void>
  unitDeferred(input: UnitDeferredInput): Promise<void>
  unitDeadLettered(input: { key: string; error: string }): Promise<void>
  rawTransformed(input: RawTransformedInput): Promise<void>
  claimFinalize(claimant?: string): Promise<boolean>
  finalized(input: FinalizedInput): Promise<RunManifest>
  /** Closes the open run early (`failed` or `abandoned`) with the reason, and releases the lock. */
  close(input: CloseInput): Promise<RunManifest | null>
  /**
   * Fails every open unit of one account (its consent is gone); when no other account of the run is
   * left, closes the run as `failed` with that failure.
   */
  failAccount(input: FailAccountInput): Promise<RunManifest | null>
  /** Whether the run is live; a stalled run is closed as `abandoned` by this very call. */
  liveness(): Promise<Liveness>
  manifest(): Promise<RunManifest | null>
  progress(): Promise<RunProgress>
  // global
  acquire(input: { runId: RunId; force: boolean; replacing?: RunId }): Promise<AcquireResult>
  release(runId: RunId): Promise<void>
  blockedUntil(): Promise<string | null>
  /** Why the app is blocked (`null` when it is not). */
  blockReason(): Promise<BlockReason | null>
  blockUntil(retryAt: string, reason?: BlockReason): Promise<string>
  unblock(): Promise<void>
  /** Catalog ids now stored in raw (their unit's raw object is written): fresh for the refresh age. */
  catalogFetched(input: { kind: CatalogKind; ids: readonly string[] }): Promise<void>
  /** Which ids are due (never fetched or stale) and which are fresh. */
  catalogDue(input: {
    kind: CatalogKind
    ids: readonly string[]
    refreshAfterMs: number
  }): Promise<CatalogDue>
  /** Ids past a run's budget, for the next run. */
  catalogWait(input: { kind: CatalogKind; ids: readonly string[] }): Promise<void>
  /** The ids waiting for a run, per kind. */
  catalogWaiting(): Promise<Record<CatalogKind, string[]>>
}

/** The global catalog ledger's answer for a list of ids. */
export interface CatalogDue {
  due: string[]
  fresh: string[]
}
