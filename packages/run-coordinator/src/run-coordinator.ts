/** @module The `RunCoordinator` Durable Object: the ledgers on SQLite-backed storage, the manifest mirrored to S3. */
import { DurableObject } from 'cloudflare:workers'
import { type LakeStore, lakeStoreFromEnv } from '@spotify-lake/lake-store'
import { type ApiMode, type CatalogKind, lakeKeys, type RunId, type RunManifest } from '@spotify-lake/schemas'
import { retryDelay } from './backoff.ts'
import { CatalogLedger } from './catalog-ledger.ts'
import { coalesce } from './coalesce.ts'
import { classifyFailure, STALLED_REASON } from './failures.ts'
import { GlobalLedger } from './global-ledger.ts'
import { RunLedger } from './run-ledger.ts'
import type {
  AcquireResult,
  BeginInput,
  BlockReason,
  CatalogDue,
  CloseInput,
  FailAccountInput,
  FinalizedInput,
  Liveness,
  PlanCatalogInput,
  PlannedUnit,
  RawTransformedInput,
  RunCoordinatorRpc,
  RunProgress,
  UnitDeferredInput,
  UnitExtractedInput,
  UnitFailedInput,
  UnitSkippedInput,
  UnitStatus,
} from './types.ts'

/** The bindings the object needs from whichever Worker hosts it. */
export interface RunCoordinatorEnv {
  RUN_COORDINATOR: DurableObjectNamespace<RunCoordinator>
  S3_ENDPOINT: string
  S3_BUCKET: string
  S3_REGION?: string
  S3_ACCESS_KEY_ID: string
  S3_SECRET_ACCESS_KEY: string
}

/** Name of the instance that holds the active-run lock and the rate-limit block. */
export const GLOBAL_COORDINATOR = 'global'

/** How soon the alarm tries again to mirror a manifest that S3 refused; doubles per failure up to an hour. */
const MIRROR_RETRY_MS = 30_000
const MIRROR_RETRY_MAX_MS = 3_600_000

export class RunCoordinator extends DurableObject<RunCoordinatorEnv> implements RunCoordinatorRpc {
  readonly #run: RunLedger
  readonly #global: GlobalLedger
  readonly #catalog: CatalogLedger
  #store: LakeStore | undefined
  readonly #flush: () => Promise<void>

  constructor(ctx: DurableObjectState, env: RunCoordinatorEnv) {
    super(ctx, env)
    this.#run = new RunLedger({ kv: ctx.storage.kv })
    this.#global = new GlobalLedger({ kv: ctx.storage.kv })
    this.#catalog = new CatalogLedger({ kv: ctx.storage.kv })
    this.#flush = coalesce(() => this.#writeManifest())
  }

  /**
   * Mirrors the manifest without failing the caller: the ledger (SQLite, in this object) is the truth
   * while a run is open, and the alarm keeps trying S3 until it takes the manifest. So an S3 outage or
   * a refused key never blocks a report, nor the close of the very run it fails.
   */
  async #mirror(): Promise<void> {
    await this.#flush().catch(() => {})
  }

  /**
   * Opens the run and arms its stall alarm. When the manifest cannot be written to S3 (unreachable,
   * credentials refused, no such bucket), the run cannot start: it is closed as `failed` with the
   * reason, the lock released, and the closed manifest returned (the alarm mirrors it once S3 is back).
   */
  async begin(input: BeginInput): Promise<RunManifest> {
    // The ids earlier runs could not fit in their budget go first (a run begun before has them already).
    const waiting =
      input.catalog && !this.#run.manifest() ? await this.#globalStub().catalogWaiting() : undefined
    const manifest = this.#run.begin({ ...input, waiting })
    await this.#arm()
    try {
      await this.#flush()
    } catch (error) {
      const failure = classifyFailure(error)
      return this.#close({
        status: 'failed',
        failure: {
          reason: failure.reason,
          message: `the run could not start: its manifest could not be written to S3: ${failure.message}`,
          action: failure.action,
        },
      })
    }
    return manifest
  }

  async planUnits(units: readonly PlannedUnit[], parentKey?: string): Promise<PlannedUnit[]> {
    const planned = this.#run.planUnits(units, parentKey)
    await this.#mirror()
    return planned
  }

  async apiMode(): Promise<ApiMode | null> {
    return this.#run.apiMode()
  }

  async unitStatus(key: string): Promise<UnitStatus | null> {
    return this.#run.unitStatus(key)
  }

  async planCatalog(input: PlanCatalogInput): Promise<PlannedUnit[]> {
    const { kind, parentKey } = input
    const policy = this.#run.catalogPolicy()
    let planned: PlannedUnit[]
    if (!policy || this.#run.hasCatalogPlan(kind, parentKey) || this.#run.isClosed()) {
      planned = this.#run.planCatalog(input)
    } else {
      const { refreshAfterMs } = policy
      const { due, fresh } = await this.#globalStub().catalogDue({ kind, ids: input.ids, refreshAfterMs })
      planned = this.#run.planCatalog({ ...input, ids: due, fresh })
    }
    // Again on a retried parent: the ids past the budget must reach the global ledger.
    const over = this.#run.catalogOver(kind, parentKey)
    if (over.length > 0) await this.#globalStub().catalogWait({ kind, ids: over })
    await this.#mirror()
    return planned
  }

  async flushCatalog(claimant: string): Promise<PlannedUnit[]> {
    const planned = this.#run.flushCatalog(claimant)
    await this.#mirror()
    return planned
  }

  async unitExtracted(input: UnitExtractedInput): Promise<void> {
    this.#run.unitExtracted(input)
    await this.#mirror()
  }

  async unitUnchanged(input: UnitExtractedInput): Promise<void> {
    this.#run.unitUnchanged(input)
    await this.#mirror()
  }

  async unitFailed(input: UnitFailedInput): Promise<void> {
    this.#run.unitFailed(input)
    await this.#mirror()
  }

  async unitsSkipped(units: readonly UnitSkippedInput[]): Promise<void> {
    this.#run.unitsSkipped(units)
    await this.#mirror()
  }

  async unitDeferred(input: UnitDeferredInput): Promise<void> {
    this.#run.unitDeferred(input)
    await this.#mirror()
  }

  async unitDeadLettered(input: { key: string; error: string }): Promise<void> {
    this.#run.unitDeadLettered(input)
    await this.#mirror()
  }

  async rawTransformed(input: RawTransformedInput): Promise<void> {
    this.#run.rawTransformed(input)
  }

  async claimFinalize(claimant?: string): Promise<boolean> {
    return this.#run.claimFinalize(claimant)
  }

  async finalized(input: FinalizedInput): Promise<RunManifest> {
    const manifest = this.#run.finalized(input)
    await this.#mirror()
    await this.#globalStub().release(manifest.runId)
    return manifest
  }

  async close(input: CloseInput): Promise<RunManifest | null> {
    if (!this.#run.manifest()) return null
    return this.#close(input)
  }

  /**
   * One account's consent is gone: its open units fail at once; when no other account of the run is left,
   * the whole run closes as `failed` with that failure (and gives its lock back).
   */
  async failAccount(input: FailAccountInput): Promise<RunManifest | null> {
    if (!this.#run.manifest()) return null
    const { manifest, othersOpen } = this.#run.failAccount(input)
    if (!othersOpen && !this.#run.isClosed()) return this.#close({ status: 'failed', failure: input.failure })
    await this.#mirror()
    return manifest
  }

  /** Whether this run is live; a run past its stall deadline is closed as `abandoned` here and now. */
  async liveness(): Promise<Liveness> {
    const manifest = this.#run.manifest()
    if (!manifest) return { state: 'unknown', status: null, activityAt: null }
    const deadline = this.#run.stallDeadline()
    if (deadline !== null && Date.now() >= deadline) await this.#abandonStalled()
    const now = this.#run.manifest() as RunManifest
    const activityAt = this.#run.activityAt()
    return {
      state: this.#run.isClosed() ? 'closed' : 'open',
      status: now.status,
      activityAt: activityAt === null ? null : new Date(activityAt).toISOString(),
    }
  }

  /**
   * The run's alarm: mirrors a manifest S3 refused earlier, and closes an open run that stopped
   * progressing (`abandoned`, reason `stalled`, with the units it waited for) so it never stays
   * `running` and never keeps the lock. Re-arms itself while there is something to watch.
   */
  override async alarm(): Promise<void> {
    if (!this.#run.manifest()) return
    const deadline = this.#run.stallDeadline()
    if (deadline !== null && Date.now() >= deadline) await this.#abandonStalled()
    else if (this.ctx.storage.kv.get('mirrorPending') !== undefined) await this.#mirror()
    await this.#arm()
  }
  async manifest(): Promise<RunManifest | null> {
    return this.#run.manifest()
  }

  async progress(): Promise<RunProgress> {
    return this.#run.progress()
  }

  async acquire(input: { runId: RunId; force: boolean; replacing?: RunId }): Promise<AcquireResult> {
    return this.#global.acquire(input)
  }

  async release(runId: RunId): Promise<void> {
    this.#global.release(runId)
  }

  async blockedUntil(): Promise<string | null> {
    return this.#global.blockedUntil()
  }

  async blockReason(): Promise<BlockReason | null> {
    return this.#global.blockReason()
  }

  async blockUntil(retryAt: string, reason?: BlockReason): Promise<string> {
    return this.#global.blockUntil(retryAt, reason)
  }

  async unblock(): Promise<void> {
    this.#global.unblock()
  }

  async catalogFetched(input: { kind: CatalogKind; ids: readonly string[] }): Promise<void> {
    this.#catalog.fetched(input)
  }

  async catalogDue(input: {
    kind: CatalogKind
    ids: readonly string[]
    refreshAfterMs: number
  }): Promise<CatalogDue> {
    return this.#catalog.due(input)
  }

  async catalogWait(input: { kind: CatalogKind; ids: readonly string[] }): Promise<void> {
    this.#catalog.wait(input)
  }

  async catalogWaiting(): Promise<Record<CatalogKind, string[]>> {
    return this.#catalog.waiting()
  }

  async #abandonStalled(): Promise<void> {
    const m = this.#run.manifest() as RunManifest
    const open = Object.entries(m.units)
      .filter(([, u]) => u.status === 'pending' || u.status === 'deferred')
      .map(([key]) => key)
    const progress = this.#run.progress()
    const waiting = progress.rawKeys - progress.transformed
    const minutes = Math.round((Date.now() - (this.#run.activityAt() ?? Date.now())) / 60_000)
    const what = [
      open.length > 0
        ? `${open.length} unit(s) never settled (${open.slice(0, 5).join(', ')}${open.length > 5 ? ', ...' : ''})`
        : '',
      waiting > 0 ? `${waiting} raw object(s) never transformed` : '',
      open.length === 0 && waiting === 0 ? 'its finalize never ran' : '',
    ].filter(Boolean)
    await this.#close({
      status: 'abandoned',
      failure: {
        reason: STALLED_REASON,
        message: `no progress for ${minutes} min: ${what.join('; ')}`,
        action: 'start a new run; its raw objects are kept, `lake replay` rebuilds tables from them',
      },
    })
  }

  /** Closes the run, gives the lock back and mirrors the closed manifest (or leaves that to the alarm). */
  async #close(input: CloseInput): Promise<RunManifest> {
    const manifest = this.#run.close(input)
    await this.#globalStub().release(manifest.runId)
    await this.#mirror()
    await this.#arm()
    return manifest
  }

  /** Next alarm: the next mirror attempt while a manifest waits for S3, or the stall deadline of an open run. */
  async #arm(): Promise<void> {
    const deadline = this.#run.stallDeadline()
    const next = Math.min(this.#mirrorRetryAt() ?? Infinity, deadline ?? Infinity)
    if (next === Infinity) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(next)
  }

  #globalStub(): DurableObjectStub<RunCoordinator> {
    return this.env.RUN_COORDINATOR.get(this.env.RUN_COORDINATOR.idFromName(GLOBAL_COORDINATOR))
  }

  /**
   * Mirrors the latest manifest to `runs/<run_id>.json`. A failure leaves a note (and a count) for the
   * alarm, which retries on its own with backoff, so the manifest lands once S3 takes it again.
   */
  async #writeManifest(): Promise<void> {
    const manifest = this.#run.manifest()
    if (!manifest) return
    const kv = this.ctx.storage.kv
    const failures = kv.get<number>('mirrorPending') ?? 0
    kv.put('mirrorPending', failures)
    try {
      await this.#lake().putJson(lakeKeys.manifest(manifest.runId), manifest)
    } catch (error) {
      kv.put('mirrorPending', failures + 1)
      await this.#arm()
      throw error
    }
    // Only if nothing changed meanwhile: a newer manifest still needs its own write.
    if (this.#run.manifest()?.updatedAt === manifest.updatedAt) kv.delete('mirrorPending')
  }

  /** When the alarm should next try to mirror, or null when S3 has the latest manifest. */
  #mirrorRetryAt(): number | null {
    const failures = this.ctx.storage.kv.get<number>('mirrorPending')
    if (failures === undefined) return null
    return Date.now() + retryDelay({ attempt: failures, base: MIRROR_RETRY_MS, cap: MIRROR_RETRY_MAX_MS })
  }

  #lake(): LakeStore {
    if (this.#store) return this.#store
    this.#store = lakeStoreFromEnv(this.env, { who: 'RunCoordinator' })
    return this.#store
  }
}
