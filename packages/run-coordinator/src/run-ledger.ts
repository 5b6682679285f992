/** @module The state of one run, as pure logic over a synchronous key-value store (the Durable Object's SQLite KV). */
import { type ApiMode, type RunManifest, RunManifestSchema, type UnitResult } from '@spotify-lake/schemas'
import { addApi, pending, summarise } from './tally.ts'
import type {
  BeginInput,
  ClaimKind,
  FinalizedInput,
  PlanCatalogInput,
  PlannedUnit,
  RawTransformedInput,
  RunProgress,
  UnitDeferredInput,
  UnitExtractedInput,
  UnitFailedInput,
  UnitSkippedInput,
} from './types.ts'

/** The subset of `DurableObjectStorage['kv']` the ledgers use; a `Map` wrapper stands in for it in tests. */
export interface SyncKv {
  get<T = unknown>(key: string): T | undefined
  put<T>(key: string, value: T): void
  delete(key: string): boolean
  list<T = unknown>(options?: { prefix?: string }): Iterable<[string, T]>
}

const TERMINAL: ReadonlySet<UnitResult['status']> = new Set([
  'extracted',
  'unchanged',
  'failed',
  'dead-lettered',
  'skipped',
])
const CLAIM_KINDS: readonly ClaimKind[] = ['tracks', 'albums', 'artists']
/** Catalog units only fetch what they are given; every other unit may find catalog ids. */
const isCatalogKey = (key: string): boolean => CLAIM_KINDS.some((kind) => key.startsWith(`${kind}:`))

/** Ids claimed for the run but not yet in a batch, and the batch size they wait to fill. */
interface CatalogCarry {
  ids: string[]
  batchSize: number
}

/** Enough to diagnose a run without letting a flapping unit grow the manifest without bound. */
const MAX_ERRORS = 200

export class RunNotFoundError extends Error {
  constructor() {
    super('run not begun: call begin() first')
    this.name = 'RunNotFoundError'
  }
}

export class RunLedger {
  readonly #kv: SyncKv
  readonly #now: () => Date

  constructor({ kv, now = () => new Date() }: { kv: SyncKv; now?: () => Date }) {
    this.#kv = kv
    this.#now = now
  }

  /** Creates the manifest; calling it again for the same run returns the existing one. */
  begin({ runId, dt, trigger, force }: BeginInput): RunManifest {
    const existing = this.#kv.get<RunManifest>('manifest')
    if (existing) return existing
    const at = this.#stamp()
    const manifest = RunManifestSchema.parse({
      v: 1,
      runId,
      dt,
      trigger,
      force,
      status: 'running',
      createdAt: at,
      updatedAt: at,
    })
    this.#kv.put('manifest', manifest)
    return manifest
  }

  manifest(): RunManifest | null {
    return this.#kv.get<RunManifest>('manifest') ?? null
  }

  /**
   * Registers units as pending (idempotent by key: a known unit keeps its state).
   * Without `parentKey` it returns every given unit. With it (a unit planning follow-ups) it returns
   * only units no one planned before, and the same answer again when that parent is retried, so a
   * unit reached from two places (a configured playlist also in "my playlists") is sent once.
   */
  planUnits(units: readonly PlannedUnit[], parentKey?: string): PlannedUnit[] {
    if (parentKey === undefined) {
      this.#update((m) => {
        for (const { key } of units) m.units[key] ??= pending()
      })
      return [...units]
    }
    const planKey = `plan:units:${parentKey}`
    const earlier = this.#kv.get<PlannedUnit[]>(planKey)
    if (earlier) return earlier
    const fresh: PlannedUnit[] = []
    this.#update((m) => {
      for (const unit of units) {
        if (m.units[unit.key] || fresh.some((f) => f.key === unit.key)) continue
        m.units[unit.key] = pending()
        fresh.push(unit)
      }
    })
    this.#kv.put(planKey, fresh)
    return fresh
  }

  /** The API mode a unit of this run detected, so later clients of the run skip the probe call. */
  apiMode(): ApiMode | null {
    return this.#require().apiMode ?? null
  }

  /** Status of one unit, or null when the run does not know it. */
  unitStatus(key: string): UnitResult['status'] | null {
    return this.#require().units[key]?.status ?? null
  }

  /** The ids not yet claimed in this run, now claimed: each catalog id is fetched at most once per run. */
  claimIds(kind: ClaimKind, ids: readonly string[]): string[] {
    const fresh: string[] = []
    for (const id of ids) {
      const key = `claim:${kind}:${id}`
      if (this.#kv.get(key) !== undefined) continue
      this.#kv.put(key, 1)
      fresh.push(id)
    }
    return fresh
  }

  /**
   * Claims the ids and adds the new ones to the run's waiting list of that kind; every full batch
   * (run-unique batch numbers) is planned at once, the rest waits for more ids or for `flushCatalog`,
   * so batches fill across playlists instead of one partial batch per playlist part.
   * A retried parent gets the same units back instead of an empty list, so nothing is lost when
   * its first attempt died between planning and enqueueing.
   */
  planCatalog({ parentKey, kind, ids, batchSize }: PlanCatalogInput): PlannedUnit[] {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be >= 1, got ${batchSize}`)
    const planKey = `plan:${kind}:${parentKey}`
    const earlier = this.#kv.get<PlannedUnit[]>(planKey)
    if (earlier) return earlier
    const fresh = this.claimIds(kind, [...new Set(ids)])
    const waiting = [...(this.#kv.get<CatalogCarry>(`carry:${kind}`)?.ids ?? []), ...fresh]
    const full = waiting.length - (waiting.length % batchSize)
    const planned = this.#planBatches(kind, waiting.slice(0, full), batchSize)
    this.#kv.put<CatalogCarry>(`carry:${kind}`, { ids: waiting.slice(full), batchSize })
    this.#kv.put(planKey, planned)
    return planned
  }

  /**
   * The last catalog batches: once no unit that can find catalog ids (a playlist, the playlist list)
   * is still open, the ids still waiting are planned as the final (partial) batches. They are returned
   * to `claimant`, and to it again on its retry (those not yet settled), so a send that failed is not
   * lost; to anyone else, nothing.
   */
  flushCatalog(claimant: string): PlannedUnit[] {
    const m = this.#require()
    const flushKey = `flush:${claimant}`
    const earlier = this.#kv.get<PlannedUnit[]>(flushKey)
    if (earlier) return earlier.filter(({ key }) => !TERMINAL.has(m.units[key]?.status ?? 'pending'))
    const finding = Object.entries(m.units).some(([key, u]) => !TERMINAL.has(u.status) && !isCatalogKey(key))
    if (finding) return []
    const planned: PlannedUnit[] = []
    for (const kind of CLAIM_KINDS) {
      const carry = this.#kv.get<CatalogCarry>(`carry:${kind}`)
      if (!carry || carry.ids.length === 0) continue
      planned.push(...this.#planBatches(kind, carry.ids, carry.batchSize))
      this.#kv.put<CatalogCarry>(`carry:${kind}`, { ids: [], batchSize: carry.batchSize })
    }
    if (planned.length > 0) this.#kv.put(flushKey, planned)
    return planned
  }

  /** Cuts ids into units `<kind>:<batch>` with run-unique batch numbers and registers them as pending. */
  #planBatches(kind: ClaimKind, ids: readonly string[], batchSize: number): PlannedUnit[] {
    let next = this.#kv.get<number>(`batch:${kind}`) ?? 0
    const planned: PlannedUnit[] = []
    for (let i = 0; i < ids.length; i += batchSize) {
      const unit = { type: kind, ids: ids.slice(i, i + batchSize), batch: next++ }
      planned.push({ key: `${kind}:${unit.batch}`, unit })
    }
    this.#kv.put(`batch:${kind}`, next)
    if (planned.length > 0) {
      this.#update((m) => {
        for (const { key } of planned) m.units[key] ??= pending()
      })
    }
    return planned
  }

  #carrying(): boolean {
    return CLAIM_KINDS.some((kind) => (this.#kv.get<CatalogCarry>(`carry:${kind}`)?.ids.length ?? 0) > 0)
  }

  unitExtracted(input: UnitExtractedInput): void {
    this.#settle(input, 'extracted')
  }

  unitUnchanged(input: UnitExtractedInput): void {
    this.#settle(input, 'unchanged')
  }

  unitFailed({ key, error, permanent, rawKeys, api }: UnitFailedInput): void {
    this.#update((m) => {
      const unit = this.#unit(m, key)
      unit.attempts++
      unit.error = error
      if (permanent) unit.status = 'failed'
      if (rawKeys) unit.rawKeys = [...rawKeys]
      m.errors.push({ unit: key, message: error, at: this.#stamp() })
      if (api) addApi(m.api, api)
    })
  }

  /**
   * Planned units the pipeline decided not to fetch (no Spotify call, no raw object), each with its
   * reason in `error`. Only a pending unit is skipped: a unit that already settled keeps its outcome.
   * One call for many units, so a long list of unreadable playlists costs one RPC.
   */
  unitsSkipped(units: readonly UnitSkippedInput[]): void {
    if (units.length === 0) return
    this.#update((m) => {
      for (const { key, reason } of units) {
        const unit = this.#unit(m, key)
        if (unit.status !== 'pending') continue
        unit.status = 'skipped'
        unit.error = reason
      }
    })
  }

  unitDeferred({ key, retryAt, api }: UnitDeferredInput): void {
    this.#update((m) => {
      const unit = this.#unit(m, key)
      unit.attempts++
      unit.status = 'deferred'
      unit.retryAt = retryAt
      m.status = 'deferred'
      if (!m.blockedUntil || m.blockedUntil < retryAt) m.blockedUntil = retryAt
      if (api) addApi(m.api, api)
    })
  }

  unitDeadLettered({ key, error }: { key: string; error: string }): void {
    this.#update((m) => {
      const unit = this.#unit(m, key)
      // A late DLQ copy of a unit that did finish (at-least-once delivery) must not undo it.
      if (unit.status === 'extracted' || unit.status === 'unchanged') return
      unit.status = 'dead-lettered'
      unit.error = unit.error ? `${error} (last error: ${unit.error})` : error
      m.errors.push({ unit: key, message: `dead-lettered: ${error}`, at: this.#stamp() })
      this.#unblockIfClear(m)
    })
  }

  /** Idempotent by raw key: a re-delivered transform message is counted once. */
  rawTransformed(input: RawTransformedInput): void {
    this.#require()
    // Kept beside the manifest, not in it: the manifest gets the compacted totals at finalize.
    this.#kv.put(`raw:${input.rawKey}`, { ...input })
  }

  /**
   * True exactly once: when every unit is terminal and every raw object has been transformed.
   * A `claimant` (the caller's message: unit key, raw key) gets `true` again on its own retry, so a
   * claim whose finalize message failed to send is not lost.
   */
  claimFinalize(claimant?: string): boolean {
    const m = this.#require()
    const claimed = this.#kv.get<{ claimant: string | null }>('finalizeClaimed')
    if (claimed) return claimant !== undefined && claimed.claimant === claimant
    // Catalog ids still waiting for their batch (flushCatalog plans them): not complete yet.
    if (this.#carrying()) return false
    for (const unit of Object.values(m.units)) {
      if (!TERMINAL.has(unit.status)) return false
      for (const rawKey of unit.rawKeys) if (this.#kv.get(`raw:${rawKey}`) === undefined) return false
    }
    this.#kv.put('finalizeClaimed', { claimant: claimant ?? null })
    return true
  }

  finalized({ status, tables, reconciliation, rejects, timings = {}, error }: FinalizedInput): RunManifest {
    return this.#update((m) => {
      m.status = status
      if (error) m.errors.push({ unit: 'finalize', message: error, at: this.#stamp() })
      m.tables = tables
      if (rejects) m.rejects = { ...rejects }
      m.reconciliation = reconciliation
      m.timings = { ...m.timings, ...timings }
      m.finishedAt = this.#stamp()
      delete m.blockedUntil
    })
  }

  progress(): RunProgress {
    const m = this.#require()
    const reports = [...this.#kv.list<RawTransformedInput>({ prefix: 'raw:' })].map(([, report]) => report)
    return summarise({ manifest: m, reports, finalizeClaimed: this.#kv.get('finalizeClaimed') !== undefined })
  }

  #settle(
    { key, rawKeys, items, api, apiMode }: UnitExtractedInput,
    status: 'extracted' | 'unchanged',
  ): void {
    this.#update((m) => {
      const unit = this.#unit(m, key)
      unit.attempts++
      unit.status = status
      unit.rawKeys = [...rawKeys]
      unit.items = items
      delete unit.error
      delete unit.retryAt
      if (api) addApi(m.api, api)
      if (apiMode) m.apiMode = apiMode
      this.#unblockIfClear(m)
    })
  }

  /** Once no unit waits on Spotify any more, the run is running again. */
  #unblockIfClear(m: RunManifest): void {
    if (m.status !== 'deferred') return
    if (Object.values(m.units).some((u) => u.status === 'deferred')) return
    m.status = 'running'
    delete m.blockedUntil
  }

  #unit(m: RunManifest, key: string): UnitResult {
    // A report for an unplanned key (a hand-sent message) is still recorded, never dropped.
    m.units[key] ??= pending()
    return m.units[key]
  }

  #require(): RunManifest {
    const m = this.#kv.get<RunManifest>('manifest')
    if (!m) throw new RunNotFoundError()
    return m
  }

  #update(change: (m: RunManifest) => void): RunManifest {
    const m = structuredClone(this.#require())
    change(m)
    if (m.errors.length > MAX_ERRORS) m.errors.splice(0, m.errors.length - MAX_ERRORS)
    m.updatedAt = this.#stamp()
    this.#kv.put('manifest', m)
    return m
  }

  #stamp(): string {
    return this.#now().toISOString()
  }
}
