/** @module The `RunCoordinator` Durable Object: the ledgers on SQLite-backed storage, the manifest mirrored to S3. */
import { DurableObject } from 'cloudflare:workers'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { type ApiMode, lakeKeys, type RunId, type RunManifest } from '@spotify-lake/schemas'
import { coalesce } from './coalesce.ts'
import { GlobalLedger } from './global-ledger.ts'
import { RunLedger } from './run-ledger.ts'
import type {
  AcquireResult,
  BeginInput,
  ClaimKind,
  FinalizedInput,
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

export class RunCoordinator extends DurableObject<RunCoordinatorEnv> implements RunCoordinatorRpc {
  readonly #run: RunLedger
  readonly #global: GlobalLedger
  #store: LakeStore | undefined
  readonly #flush: () => Promise<void>

  constructor(ctx: DurableObjectState, env: RunCoordinatorEnv) {
    super(ctx, env)
    this.#run = new RunLedger({ kv: ctx.storage.kv })
    this.#global = new GlobalLedger({ kv: ctx.storage.kv })
    this.#flush = coalesce(() => this.#writeManifest())
  }

  async begin(input: BeginInput): Promise<RunManifest> {
    const manifest = this.#run.begin(input)
    await this.#flush()
    return manifest
  }

  async planUnits(units: readonly PlannedUnit[], parentKey?: string): Promise<PlannedUnit[]> {
    const planned = this.#run.planUnits(units, parentKey)
    await this.#flush()
    return planned
  }

  async apiMode(): Promise<ApiMode | null> {
    return this.#run.apiMode()
  }

  async unitStatus(key: string): Promise<UnitStatus | null> {
    return this.#run.unitStatus(key)
  }

  async claimIds(kind: ClaimKind, ids: readonly string[]): Promise<string[]> {
    return this.#run.claimIds(kind, ids)
  }

  async planCatalog(input: PlanCatalogInput): Promise<PlannedUnit[]> {
    const planned = this.#run.planCatalog(input)
    await this.#flush()
    return planned
  }

  async flushCatalog(claimant: string): Promise<PlannedUnit[]> {
    const planned = this.#run.flushCatalog(claimant)
    await this.#flush()
    return planned
  }

  async unitExtracted(input: UnitExtractedInput): Promise<void> {
    this.#run.unitExtracted(input)
    await this.#flush()
  }

  async unitUnchanged(input: UnitExtractedInput): Promise<void> {
    this.#run.unitUnchanged(input)
    await this.#flush()
  }

  async unitFailed(input: UnitFailedInput): Promise<void> {
    this.#run.unitFailed(input)
    await this.#flush()
  }

  async unitsSkipped(units: readonly UnitSkippedInput[]): Promise<void> {
    this.#run.unitsSkipped(units)
    await this.#flush()
  }

  async unitDeferred(input: UnitDeferredInput): Promise<void> {
    this.#run.unitDeferred(input)
    await this.#flush()
  }

  async unitDeadLettered(input: { key: string; error: string }): Promise<void> {
    this.#run.unitDeadLettered(input)
    await this.#flush()
  }

  async rawTransformed(input: RawTransformedInput): Promise<void> {
    this.#run.rawTransformed(input)
  }

  async claimFinalize(claimant?: string): Promise<boolean> {
    return this.#run.claimFinalize(claimant)
  }

  async finalized(input: FinalizedInput): Promise<RunManifest> {
    const manifest = this.#run.finalized(input)
    await this.#flush()
    const global = this.env.RUN_COORDINATOR.get(this.env.RUN_COORDINATOR.idFromName(GLOBAL_COORDINATOR))
    await global.release(manifest.runId)
    return manifest
  }

  async manifest(): Promise<RunManifest | null> {
    return this.#run.manifest()
  }

  async progress(): Promise<RunProgress> {
    return this.#run.progress()
  }

  async acquire(input: { runId: RunId; force: boolean }): Promise<AcquireResult> {
    return this.#global.acquire(input)
  }

  async release(runId: RunId): Promise<void> {
    this.#global.release(runId)
  }

  async blockedUntil(): Promise<string | null> {
    return this.#global.blockedUntil()
  }

  async blockUntil(retryAt: string): Promise<string> {
    return this.#global.blockUntil(retryAt)
  }

  async unblock(): Promise<void> {
    this.#global.unblock()
  }

  /** Mirrors the latest manifest to `runs/<run_id>.json`; an S3 failure rejects the RPC so the caller retries. */
  async #writeManifest(): Promise<void> {
    const manifest = this.#run.manifest()
    if (!manifest) return
    await this.#lake().putJson(lakeKeys.manifest(manifest.runId), manifest)
  }

  #lake(): LakeStore {
    if (this.#store) return this.#store
    const { S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION } = this.env
    for (const [name, value] of Object.entries({
      S3_ENDPOINT,
      S3_BUCKET,
      S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY,
    })) {
      if (!value) throw new Error(`RunCoordinator: ${name} is not configured`)
    }
    this.#store = createLakeStore({
      endpoint: S3_ENDPOINT,
      bucket: S3_BUCKET,
      accessKeyId: S3_ACCESS_KEY_ID,
      secretAccessKey: S3_SECRET_ACCESS_KEY,
      region: S3_REGION || 'us-east-1',
    })
    return this.#store
  }
}
