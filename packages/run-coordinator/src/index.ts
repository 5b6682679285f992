/** @module Public API of @spotify-lake/run-coordinator: the Durable Object, its RPC types and typed stub helpers. */
import type { RunId } from '@spotify-lake/schemas'
import type { RunCoordinator } from './run-coordinator.ts'

export { type Advance, type AdvanceCoordinator, advanceRun } from './advance.ts'
export { retryDelay } from './backoff.ts'
export { admit } from './catalog-budget.ts'
export { CatalogLedger, DEFAULT_CATALOG_REFRESH_DAYS } from './catalog-ledger.ts'
export { coalesce } from './coalesce.ts'
export {
  CANCELLED_REASON,
  classifyFailure,
  describeError,
  FAILURE_RULES,
  type Failure,
  type FailureKind,
  type FailureRule,
  type FailureScope,
  failureRule,
  STALLED_REASON,
} from './failures.ts'
export { finishManifest } from './finish.ts'
export { DEFAULT_LOCK_TTL_MS, GlobalLedger } from './global-ledger.ts'
export { DEFAULT_STALL_TIMEOUT_MS, isRunLive, stallDeadline } from './liveness.ts'
export { GLOBAL_COORDINATOR, RunCoordinator, type RunCoordinatorEnv } from './run-coordinator.ts'
export { RunLedger, RunNotFoundError, type SyncKv } from './run-ledger.ts'
export type * from './types.ts'

/**
 * Any `DurableObjectNamespace` bound to `RunCoordinator` (the transformer binds it cross-script, so
 * its generated type is untyped): the helpers below give back typed stubs.
 */
export type RunCoordinatorNamespace = DurableObjectNamespace<RunCoordinator> | DurableObjectNamespace

/** The per-run instance: `idFromName(runId)`. */
export function runStub(namespace: RunCoordinatorNamespace, runId: RunId): DurableObjectStub<RunCoordinator> {
  const ns = namespace as DurableObjectNamespace<RunCoordinator>
  return ns.get(ns.idFromName(runId))
}

/** The app-wide instance holding the active-run lock, Spotify's "blocked until" and the catalog ledger. */
export function globalStub(namespace: RunCoordinatorNamespace): DurableObjectStub<RunCoordinator> {
  const ns = namespace as DurableObjectNamespace<RunCoordinator>
  return ns.get(ns.idFromName('global'))
}
