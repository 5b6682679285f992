/** @module The run coordinator's RPC contract: inputs and results shared by the worker and the transformer. */
import type { ApiMode, ApiStats, Dt, ExtractUnit, RunId, RunManifest, RunStatus } from '@spotify-lake/schemas'

export type UnitStatus = RunManifest['units'][string]['status']

export type RunTrigger = RunManifest['trigger']

/** Catalog kinds whose ids are claimed once per run. */
export type ClaimKind = 'tracks' | 'albums' | 'artists'

export interface BeginInput {
  runId: RunId
  dt: Dt
  trigger: RunTrigger
  force: boolean
}

/** A unit of extraction work under its stable key (see `unitKey`). */
export interface PlannedUnit {
  key: string
  unit: ExtractUnit
}

export interface PlanCatalogInput {
  /** The unit that found the ids; planning is idempotent per (parentKey, kind), so a retried parent re-gets its units. */
  parentKey: string
  kind: ClaimKind
  ids: readonly string[]
  /** Ids per planned unit (the mode's largest batch). */
  batchSize: number
}

/** Partial API counters of one message, summed into the manifest. */
export type ApiStatsDelta = Partial<ApiStats>

export interface UnitExtractedInput {
  key: string
  /** Raw objects written for this unit; each must be reported by `rawTransformed` before the run can finalize. */
  rawKeys: readonly string[]
  /** Records seen in those raw objects (playlist items, catalog objects, playlists). */
  items: number
  api?: ApiStatsDelta | undefined
  apiMode?: ApiMode | undefined
}

export interface UnitFailedInput {
  key: string
  /** Already free of secrets: the coordinator stores it as given. */
  error: string
  /** Permanent failures (404, 403) end the unit; transient ones only count the attempt. */
  permanent: boolean
  /** Raw objects written before the failure (e.g. the playlist before a 403 on its items). */
  rawKeys?: readonly string[] | undefined
  api?: ApiStatsDelta | undefined
}

export interface UnitSkippedInput {
  key: string
  /** Why it is not fetched (free of secrets), e.g. "development mode: owned by x, not collaborative". */
  reason: string
}

export interface UnitDeferredInput {
  key: string
  /** ISO-8601 instant Spotify lets us in again. */
  retryAt: string
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
  /** Why the run failed before its tables could be written (a permanent S3 error, say): kept in `errors`. */
  error?: string | undefined
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
  claimIds(kind: ClaimKind, ids: readonly string[]): Promise<string[]>
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
  manifest(): Promise<RunManifest | null>
  progress(): Promise<RunProgress>
  // global
  acquire(input: { runId: RunId; force: boolean }): Promise<AcquireResult>
  release(runId: RunId): Promise<void>
  blockedUntil(): Promise<string | null>
  blockUntil(retryAt: string): Promise<string>
  unblock(): Promise<void>
}
