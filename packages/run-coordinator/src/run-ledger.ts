/** @module The state of one run, as pure logic over a synchronous key-value store (the Durable Object's SQLite KV). */
import {
  type ApiMode,
  CATALOG_KINDS,
  type CatalogKind,
  type RunFailure,
  type RunManifest,
  RunManifestSchema,
  TERMINAL_UNIT_STATUSES,
  type UnitResult,
} from '@spotify-lake/schemas'
import { admit, catalogPolicy, countCatalog } from './catalog-budget.ts'
import { finishManifest } from './finish.ts'
import { DEFAULT_STALL_TIMEOUT_MS, stallDeadline } from './liveness.ts'
import { addApi, pending, pendingFor, runProgressOf } from './tally.ts'
import type {
  BeginInput,
  CloseInput,
  FailAccountInput,
  FinalizedInput,
  PlanCatalogInput,
  PlannedUnit,
  RawTransformedInput,
  RunProgress,
  SyncKv,
  UnitDeferredInput,
  UnitExtractedInput,
  UnitFailedInput,
  UnitSkippedInput,
} from './types.ts'

export type { SyncKv } from './types.ts'

/** Catalog units only fetch what they are given; every other unit may find catalog ids. */
const isCatalogKey = (key: string): boolean => CATALOG_KINDS.some((kind) => key.startsWith(`${kind}:`))

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

  /**
   * Creates the manifest; calling it again for the same run returns the existing one. With a catalog
   * policy, the ids `waiting` from earlier runs (the global ledger's) are planned first, within the budget.
   */
  begin({
    runId,
    dt,
    trigger,
    force,
    stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS,
    accounts = {},
    warnings = [],
    catalog,
    waiting,
  }: BeginInput & { waiting?: Partial<Record<CatalogKind, readonly string[]>> | undefined }): RunManifest {
    const existing = this.#kv.get<RunManifest>('manifest')
    if (existing) return existing
    if (!Number.isFinite(stallTimeoutMs) || stallTimeoutMs <= 0)
      throw new RangeError(`stallTimeoutMs must be > 0, got ${stallTimeoutMs}`)
    if (catalog && (!Number.isInteger(catalog.callBudget) || catalog.callBudget < 1))
      throw new RangeError(`catalog.callBudget must be an integer >= 1, got ${catalog.callBudget}`)
    this.#kv.put('stallTimeoutMs', stallTimeoutMs)
    this.#touch()
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
      accounts,
      warnings: [...warnings],
      ...(catalog
        ? {
            catalog: {
              callBudget: catalog.callBudget,
              refreshDays: catalog.refreshAfterMs / 86_400_000,
            },
          }
        : {}),
    })
    this.#kv.put('manifest', manifest)
    if (!catalog) return manifest
    this.#kv.put('catalogPolicy', catalog)
    for (const kind of CATALOG_KINDS) {
      const ids = this.#claimIds(kind, [...new Set(waiting?.[kind] ?? [])])
      if (ids.length === 0) continue
      const batchSize = catalog.batchSizes[kind]
      const { admitted, over } = admit(this.#kv, { kind, ids, batchSize, callsPer: catalog.callsPer })
      // Cut into batches by the first planCatalog of the kind, or the flush: ahead of the ids found later.
      this.#kv.put<CatalogCarry>(`carry:${kind}`, { ids: admitted, batchSize })
      this.#update((m) => countCatalog(m, this.#kv, kind, { planned: admitted.length, waiting: over.length }))
    }
    return this.#require()
  }

  manifest(): RunManifest | null {
    return this.#kv.get<RunManifest>('manifest') ?? null
  }

  /** Closed: finalized, failed at once, abandoned or cancelled. Nothing more is planned for a closed run. */
  isClosed(): boolean {
    return this.#kv.get<RunManifest>('manifest')?.finishedAt !== undefined
  }

  /** When any worker last reported anything for this run (ms since the epoch), or null before `begin`. */
  activityAt(): number | null {
    return this.#kv.get<number>('activityAt') ?? null
  }

  /**
   * The instant (ms) from which the open run counts as stalled: its last activity plus the stall
   * timeout, or the end of a rate-limit block plus the timeout while it waits one out. Null when closed.
   */
  stallDeadline(): number | null {
    const m = this.manifest()
    const activityAt = this.activityAt()
    if (!m || m.finishedAt !== undefined || activityAt === null) return null
    const timeoutMs = this.#kv.get<number>('stallTimeoutMs') ?? DEFAULT_STALL_TIMEOUT_MS
    return stallDeadline({ manifest: m, activityAt, timeoutMs })
  }

  /**
   * Closes an open run early: `failed` (a permanent run-wide error, or it could not start) or
   * `abandoned` (stalled, cancelled). Every unit still open becomes `failed` with the reason, so no
   * consumer works on it any more; the first close wins and a later one returns the manifest as it is.
   */
  close({ status, failure }: CloseInput): RunManifest {
    if (this.isClosed()) return this.#require()
    return this.#update((m) => {
      const at = this.#stamp()
      for (const unit of Object.values(m.units)) {
        if (TERMINAL_UNIT_STATUSES.has(unit.status)) continue
        unit.status = 'failed'
        unit.reason = failure.reason
        unit.error = `the run was ${status} before this unit finished (${failure.reason})${unit.error ? `; last error: ${unit.error}` : ''}`
        delete unit.retryAt
      }
      m.status = status
      m.failure = { ...failure, at } satisfies RunFailure
      m.errors.push({
        ...(failure.unit ? { unit: failure.unit } : {}),
        reason: failure.reason,
        message: `run ${status}: ${failure.message}`,
        at,
      })
      m.finishedAt = at
      delete m.blockedUntil
      delete m.blockedReason
    })
  }

  /**
   * One account's consent is gone: every open unit of that account becomes `failed` with the reason (no
   * consumer calls Spotify for them any more), and the account shows `reauth_required` in the manifest.
   * Returns whether another account of the run is still connected (else the caller closes the run).
   */
  failAccount({ accountId, failure, warning }: FailAccountInput): {
    manifest: RunManifest
    othersOpen: boolean
  } {
    if (this.isClosed()) return { manifest: this.#require(), othersOpen: false }
    const manifest = this.#update((m) => {
      const at = this.#stamp()
      // A run begun before accounts were part of the manifest has neither list.
      m.accounts ??= {}
      m.warnings ??= []
      for (const unit of Object.values(m.units)) {
        if (unit.account !== accountId || TERMINAL_UNIT_STATUSES.has(unit.status)) continue
        unit.status = 'failed'
        unit.reason = failure.reason
        unit.error = `account ${accountId} needs consent again (${failure.reason})${unit.error ? `; last error: ${unit.error}` : ''}`
        delete unit.retryAt
      }
      const known = m.accounts[accountId]
      if (known) {
        m.accounts[accountId] = {
          ...known,
          status: 'reauth_required',
          failure: { reason: failure.reason, message: failure.message, at },
          ...(warning ? { warning } : {}),
        }
      }
      if (warning && !m.warnings.includes(warning)) m.warnings.push(warning)
      m.errors.push({
        ...(failure.unit ? { unit: failure.unit } : {}),
        reason: failure.reason,
        message: `account ${accountId}: ${failure.message}`,
        at,
      })
    })
    const othersOpen = Object.values(manifest.accounts).some(
      (a) => a.accountId !== accountId && a.status === 'connected',
    )
    return { manifest, othersOpen }
  }

  /**
   * Registers units as pending (idempotent by key: a known unit keeps its state).
   * Without `parentKey` it returns every given unit. With it (a unit planning follow-ups) it returns
   * only units no one planned before, and the same answer again when that parent is retried, so a
   * unit reached from two places (a configured playlist also in "my playlists") is sent once.
   */
  planUnits(units: readonly PlannedUnit[], parentKey?: string): PlannedUnit[] {
    // A closed run takes no new work: a message still in flight when it closed plans nothing.
    if (this.isClosed()) return []
    this.#touch()
    if (parentKey === undefined) {
      this.#update((m) => {
        for (const { key, unit } of units) m.units[key] ??= pendingFor(unit)
      })
      return [...units]
    }
    const planKey = `plan:units:${parentKey}`
    const earlier = this.#kv.get<PlannedUnit[]>(planKey)
    if (earlier) return earlier
    const fresh: PlannedUnit[] = []
    this.#update((m) => {
      for (const unit of units) {
        if (fresh.some((f) => f.key === unit.key)) continue
        // A unit another account skipped (it may not read it) is this parent's to try: its account may.
        const known = m.units[unit.key]
        const account = 'accountId' in unit.unit ? unit.unit.accountId : undefined
        if (known && !(known.status === 'skipped' && known.account !== account)) continue
        m.units[unit.key] = pendingFor(unit.unit)
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

  /** The run's catalog policy, or null (no ledger, no budget). */
  catalogPolicy() {
    return catalogPolicy(this.#kv)
  }

  /** Whether `planCatalog` already answered this parent for this kind (its retry gets the same units). */
  hasCatalogPlan(kind: CatalogKind, parentKey: string): boolean {
    return this.#kv.get(`plan:${kind}:${parentKey}`) !== undefined
  }

  /** The ids of this parent and kind that did not fit the call budget (the global ledger keeps them waiting). */
  catalogOver(kind: CatalogKind, parentKey: string): string[] {
    return this.#kv.get<string[]>(`over:${kind}:${parentKey}`) ?? []
  }

  /** The ids not yet claimed in this run, now claimed: each catalog id is fetched at most once per run. */
  #claimIds(kind: CatalogKind, ids: readonly string[]): string[] {
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
   * `ids` are the due ones (the caller asked the global catalog ledger); `fresh` the ones it skipped,
   * counted once per run. Due ids past the run's call budget are not planned: `catalogOver` lists them.
   */
  planCatalog({
    parentKey,
    kind,
    ids,
    batchSize,
    fresh = [],
    callsPer,
  }: PlanCatalogInput & { fresh?: readonly string[] }): PlannedUnit[] {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be >= 1, got ${batchSize}`)
    if (this.isClosed()) return []
    this.#touch()
    const planKey = `plan:${kind}:${parentKey}`
    const earlier = this.#kv.get<PlannedUnit[]>(planKey)
    if (earlier) return earlier
    const skipped = this.#claimIds(kind, [...new Set(fresh)])
    const claimed = this.#claimIds(kind, [...new Set(ids)])
    const mode = callsPer ?? this.catalogPolicy()?.callsPer ?? 'id'
    const { admitted, over } = admit(this.#kv, { kind, ids: claimed, batchSize, callsPer: mode })
    const waiting = [...(this.#kv.get<CatalogCarry>(`carry:${kind}`)?.ids ?? []), ...admitted]
    const full = waiting.length - (waiting.length % batchSize)
    const planned = this.#planBatches(kind, waiting.slice(0, full), batchSize)
    this.#kv.put<CatalogCarry>(`carry:${kind}`, { ids: waiting.slice(full), batchSize })
    this.#kv.put(`over:${kind}:${parentKey}`, over)
    this.#kv.put(planKey, planned)
    if (this.catalogPolicy()) {
      this.#update((m) =>
        countCatalog(m, this.#kv, kind, {
          planned: admitted.length,
          fresh: skipped.length,
          waiting: over.length,
        }),
      )
    }
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
    if (this.isClosed()) return []
    const flushKey = `flush:${claimant}`
    const earlier = this.#kv.get<PlannedUnit[]>(flushKey)
    if (earlier)
      return earlier.filter(({ key }) => !TERMINAL_UNIT_STATUSES.has(m.units[key]?.status ?? 'pending'))
    const finding = Object.entries(m.units).some(
      ([key, u]) => !TERMINAL_UNIT_STATUSES.has(u.status) && !isCatalogKey(key),
    )
    if (finding) return []
    const planned: PlannedUnit[] = []
    for (const kind of CATALOG_KINDS) {
      const carry = this.#kv.get<CatalogCarry>(`carry:${kind}`)
      if (!carry || carry.ids.length === 0) continue
      planned.push(...this.#planBatches(kind, carry.ids, carry.batchSize))
      this.#kv.put<CatalogCarry>(`carry:${kind}`, { ids: [], batchSize: carry.batchSize })
    }
    if (planned.length > 0) this.#kv.put(flushKey, planned)
    return planned
  }

  /** Cuts ids into units `<kind>:<batch>` with run-unique batch numbers and registers them as pending. */
  #planBatches(kind: CatalogKind, ids: readonly string[], batchSize: number): PlannedUnit[] {
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
    return CATALOG_KINDS.some((kind) => (this.#kv.get<CatalogCarry>(`carry:${kind}`)?.ids.length ?? 0) > 0)
  }

  unitExtracted(input: UnitExtractedInput): void {
    this.#settle(input, 'extracted')
  }

  unitUnchanged(input: UnitExtractedInput): void {
    this.#settle(input, 'unchanged')
  }

  unitFailed({ key, error, permanent, reason, rawKeys, api }: UnitFailedInput): void {
    this.#touch()
    this.#update((m) => {
      const unit = this.#unit(m, key)
      unit.attempts++
      unit.error = error
      if (reason) unit.reason = reason
      if (permanent) unit.status = 'failed'
      if (rawKeys) unit.rawKeys = [...rawKeys]
      m.errors.push({ unit: key, ...(reason ? { reason } : {}), message: error, at: this.#stamp() })
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
    this.#touch()
    this.#update((m) => {
      for (const { key, reason, account } of units) {
        const unit = this.#unit(m, key)
        if (unit.status !== 'pending') continue
        if (account !== undefined && unit.account !== account) continue
        unit.status = 'skipped'
        unit.error = reason
      }
    })
  }

  unitDeferred({ key, retryAt, reason = 'rate_limited', api }: UnitDeferredInput): void {
    this.#touch()
    this.#update((m) => {
      const unit = this.#unit(m, key)
      unit.attempts++
      // A unit the run already settled (or closed) keeps its outcome: a late copy only counts.
      if (TERMINAL_UNIT_STATUSES.has(unit.status)) {
        if (api) addApi(m.api, api)
        return
      }
      unit.status = 'deferred'
      unit.retryAt = retryAt
      if (m.finishedAt !== undefined) return
      m.status = 'deferred'
      if (!m.blockedUntil || m.blockedUntil < retryAt) {
        m.blockedUntil = retryAt
        m.blockedReason = reason
      }
      if (reason === 'quota_exceeded') {
        m.warnings ??= []
        const warning = `Spotify's quota for this developer account is used up (QUOTA_EXCEEDED): the run waits until ${m.blockedUntil}`
        if (!m.warnings.some((w) => w.startsWith("Spotify's quota"))) m.warnings.push(warning)
      }
      if (api) addApi(m.api, api)
    })
  }

  unitDeadLettered({ key, error }: { key: string; error: string }): void {
    this.#touch()
    this.#update((m) => {
      const unit = this.#unit(m, key)
      // A late DLQ copy of a unit that did finish (at-least-once delivery) must not undo it.
      if (unit.status === 'extracted' || unit.status === 'unchanged') return
      unit.status = 'dead_lettered'
      unit.error = unit.error ? `${error} (last error: ${unit.error})` : error
      m.errors.push({ unit: key, message: `dead-lettered: ${error}`, at: this.#stamp() })
      this.#unblockIfClear(m)
    })
  }

  /** Idempotent by raw key: a re-delivered transform message is counted once. */
  rawTransformed(input: RawTransformedInput): void {
    this.#require()
    this.#touch()
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
      if (!TERMINAL_UNIT_STATUSES.has(unit.status)) return false
      for (const rawKey of unit.rawKeys) if (this.#kv.get(`raw:${rawKey}`) === undefined) return false
    }
    this.#kv.put('finalizeClaimed', { claimant: claimant ?? null })
    return true
  }

  finalized(input: FinalizedInput): RunManifest {
    this.#touch()
    return this.#update((m) => finishManifest(m, input, { stamp: this.#stamp() }))
  }

  progress(): RunProgress {
    const m = this.#require()
    const reports = [...this.#kv.list<RawTransformedInput>({ prefix: 'raw:' })].map(([, report]) => report)
    return runProgressOf({
      manifest: m,
      reports,
      finalizeClaimed: this.#kv.get('finalizeClaimed') !== undefined,
    })
  }

  #settle(
    { key, rawKeys, itemsSeen, api, apiMode, interrupted, possibleGap }: UnitExtractedInput,
    status: 'extracted' | 'unchanged',
  ): void {
    this.#touch()
    this.#update((m) => {
      if (interrupted) {
        const message = `${interrupted.message} (pages already fetched are kept; the next part continues)`
        m.errors.push({ unit: key, reason: interrupted.reason, message, at: this.#stamp() })
      }
      // A redelivered report of the same poll records its gap once.
      if (possibleGap && !m.possibleGaps.some((g) => g.unit === key)) {
        m.possibleGaps.push({ kind: 'possible_gap', unit: key, ...possibleGap })
        m.warnings.push(
          `possible_gap: plays of account ${possibleGap.account} between ${possibleGap.from} and ${possibleGap.to} may be missing (a poll found 50 new plays, all Spotify keeps)`,
        )
      }
      const unit = this.#unit(m, key)
      unit.attempts++
      unit.status = status
      unit.rawKeys = [...rawKeys]
      unit.itemsSeen = itemsSeen
      delete unit.error
      delete unit.reason
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
    delete m.blockedReason
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

  /** Any report for the run is a sign of life; the stall check measures from the latest one. */
  #touch(): void {
    this.#kv.put('activityAt', this.#now().getTime())
  }

  #stamp(): string {
    return this.#now().toISOString()
  }
}
