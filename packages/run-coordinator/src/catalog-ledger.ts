/**
 * @module The catalog ledger across runs (in the `global` instance): when each catalog id was last
 * fetched, and which ids wait for a later run's call budget. A run asks it which ids are due, so an
 * album or artist the lake holds is fetched again only once it is older than the refresh age.
 */
import { CATALOG_KINDS, type CatalogKind } from '@spotify-lake/schemas'
import type { CatalogDue, SyncKv } from './types.ts'

/** Days after which a fetched catalog entity is due again, unless `CATALOG_REFRESH_DAYS` says otherwise. */
export const DEFAULT_CATALOG_REFRESH_DAYS = 30

const fetchedKey = (kind: CatalogKind, id: string) => `catalog:${kind}:${id}`
const waitKey = (kind: CatalogKind, id: string) => `catalog-wait:${kind}:${id}`

export class CatalogLedger {
  readonly #kv: SyncKv
  readonly #now: () => Date

  constructor({ kv, now = () => new Date() }: { kv: SyncKv; now?: () => Date }) {
    this.#kv = kv
    this.#now = now
  }

  /**
   * Splits ids into due (never fetched, or fetched at least the refresh age ago; first-seen order, no
   * repeats) and fresh (fetched less than the refresh age ago). `refreshAfterMs` is the refresh age in ms (> 0).
   * @throws RangeError for a refresh age that is not a positive number
   */
  due({
    kind,
    ids,
    refreshAfterMs,
  }: {
    kind: CatalogKind
    ids: readonly string[]
    refreshAfterMs: number
  }): CatalogDue {
    if (!Number.isFinite(refreshAfterMs) || refreshAfterMs <= 0)
      throw new RangeError(`refreshAfterMs must be > 0, got ${refreshAfterMs}`)
    const now = this.#now().getTime()
    const result: CatalogDue = { due: [], fresh: [] }
    for (const id of new Set(ids)) {
      const at = this.#kv.get<number>(fetchedKey(kind, id))
      if (at !== undefined && now - at < refreshAfterMs) result.fresh.push(id)
      else result.due.push(id)
    }
    return result
  }

  /**
   * Records ids as fetched now (their raw object is stored; a null slot, an id Spotify no longer knows,
   * counts too) and takes them off the waiting list.
   */
  fetched({ kind, ids }: { kind: CatalogKind; ids: readonly string[] }): void {
    const at = this.#now().getTime()
    for (const id of ids) {
      this.#kv.put(fetchedKey(kind, id), at)
      this.#kv.delete(waitKey(kind, id))
    }
  }

  /** Ids a run could not fit in its call budget: the next run plans them first. Idempotent. */
  wait({ kind, ids }: { kind: CatalogKind; ids: readonly string[] }): void {
    for (const id of ids)
      if (this.#kv.get(waitKey(kind, id)) === undefined) this.#kv.put(waitKey(kind, id), 1)
  }

  /** The ids waiting for a run, per kind (in id order). */
  waiting(): Record<CatalogKind, string[]> {
    const out = Object.fromEntries(CATALOG_KINDS.map((kind) => [kind, [] as string[]])) as Record<
      CatalogKind,
      string[]
    >
    for (const kind of CATALOG_KINDS) {
      const prefix = `catalog-wait:${kind}:`
      for (const [key] of this.#kv.list({ prefix })) out[kind].push(key.slice(prefix.length))
    }
    return out
  }

  /** When the id was last fetched (ms since the epoch), or null when never. */
  fetchedAt(kind: CatalogKind, id: string): number | null {
    return this.#kv.get<number>(fetchedKey(kind, id)) ?? null
  }
}
