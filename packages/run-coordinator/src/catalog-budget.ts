/** @module A run's catalog admissions: which due ids fit its call budget, and the manifest's counts of them. */
import type { CatalogKind, CatalogKindStats, RunManifest } from '@spotify-lake/schemas'
import type { CatalogCallsPer, CatalogPolicy, SyncKv } from './types.ts'

export interface Admission {
  /** Ids that fit the budget, in the order given. */
  admitted: string[]
  /** Ids past the budget: they wait for the next run. */
  over: string[]
}

/** The run's catalog policy (from `begin`), or null for a run without one (no budget, no ledger). */
export function catalogPolicy(kv: SyncKv): CatalogPolicy | null {
  return kv.get<CatalogPolicy>('catalogPolicy') ?? null
}

/**
 * Admits ids in order while the run's planned catalog calls stay within its budget: one call per id
 * (`callsPer` `id`, development mode) or one per batch of `batchSize` ids begun (`batch`, extended
 * mode). Without a policy every id is admitted. The calls planned are kept in the run's storage.
 */
export function admit(
  kv: SyncKv,
  {
    kind,
    ids,
    batchSize,
    callsPer,
  }: { kind: CatalogKind; ids: readonly string[]; batchSize: number; callsPer: CatalogCallsPer },
): Admission {
  const policy = catalogPolicy(kv)
  let calls = kv.get<number>('catalogCalls') ?? 0
  let count = kv.get<number>(`admitted:${kind}`) ?? 0
  const result: Admission = { admitted: [], over: [] }
  for (const id of ids) {
    // A batch already begun takes more ids at no extra call.
    const cost = callsPer === 'id' || count % batchSize === 0 ? 1 : 0
    if (policy && calls + cost > policy.callBudget) {
      result.over.push(id)
      continue
    }
    calls += cost
    count++
    result.admitted.push(id)
  }
  kv.put('catalogCalls', calls)
  kv.put(`admitted:${kind}`, count)
  return result
}

/** Adds counts of one kind to the manifest's `catalog` (a run without a policy has none). */
export function countCatalog(
  m: RunManifest,
  kv: SyncKv,
  kind: CatalogKind,
  add: Partial<CatalogKindStats>,
): void {
  if (!m.catalog) return
  const stats = m.catalog.kinds[kind] ?? { planned: 0, fresh: 0, waiting: 0 }
  m.catalog.kinds[kind] = stats
  stats.planned += add.planned ?? 0
  stats.fresh += add.fresh ?? 0
  stats.waiting += add.waiting ?? 0
  m.catalog.calls = kv.get<number>('catalogCalls') ?? 0
}
