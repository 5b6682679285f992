/** @module How a run fetches catalog entities: its call budget, the refresh age and the batch sizes of the mode. */
import type { CatalogPolicy } from '@spotify-lake/run-coordinator'
import { type ApiMode, CATALOG_KINDS, type CatalogKind } from '@spotify-lake/schemas'
import { MODE_PROFILES } from '@spotify-lake/spotify-client'
import type { ExtractConfig } from '../../config.ts'

/** Ids per catalog unit when the batch endpoints are gone (development mode): one GET each. */
const SINGLE_GET_UNIT_SIZE = 20

const DAY_MS = 86_400_000

/** Ids per catalog unit in a mode: the batch endpoint's size, or as many single GETs as one message may make. */
export function catalogBatchSize(
  kind: CatalogKind,
  mode: ApiMode,
  config: Pick<ExtractConfig, 'CALL_BUDGET'>,
): number {
  return MODE_PROFILES[mode].batchSizes?.[kind] ?? Math.min(SINGLE_GET_UNIT_SIZE, config.CALL_BUDGET)
}

/**
 * The catalog policy of a run in `mode` (`CATALOG_CALL_BUDGET`, `CATALOG_REFRESH_DAYS`): development
 * mode counts one call per id, extended mode one per batch.
 */
export function catalogPolicy(
  config: Pick<ExtractConfig, 'CALL_BUDGET' | 'CATALOG_CALL_BUDGET' | 'CATALOG_REFRESH_DAYS'>,
  mode: ApiMode,
): CatalogPolicy {
  return {
    callBudget: config.CATALOG_CALL_BUDGET,
    refreshAfterMs: config.CATALOG_REFRESH_DAYS * DAY_MS,
    callsPer: MODE_PROFILES[mode].batchSizes ? 'batch' : 'id',
    batchSizes: Object.fromEntries(
      CATALOG_KINDS.map((kind) => [kind, catalogBatchSize(kind, mode, config)]),
    ) as Record<CatalogKind, number>,
  }
}
