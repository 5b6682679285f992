/** @module The deployable environments: one stack each, everything that differs between them lives here. */

export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number]

export interface EnvironmentConfig {
  name: EnvironmentName
  /** Prefix of every AWS name in the stack (`spotify-lake-dev-...`); Glue names use its snake_case form. */
  namePrefix: string
  /** Athena refuses (and bills only up to) this many bytes per query, so a bad query cannot run up a bill. */
  bytesScannedCutoffPerQuery: number
  /**
   * Raw JSON is kept forever but rarely read after replays settle: raw objects over 128 KiB move to Standard-IA
   * after this many days (at least 30: S3's minimum for a Standard-IA transition). Smaller ones stay Standard.
   */
  rawInfrequentAccessAfterDays: number
  /** Staging files are removed by compaction; this expiry only sweeps what a failed run left behind. */
  stagingExpireAfterDays: number
  /** Overwritten or deleted object versions are kept this long so a bad compaction can be undone. */
  noncurrentExpireAfterDays: number
  /** Athena query results are caches: the workgroup re-runs a query when its result is gone. */
  athenaResultsExpireAfterDays: number
}

const GIB = 1024 ** 3

export const environments: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  dev: {
    name: 'dev',
    namePrefix: 'spotify-lake-dev',
    bytesScannedCutoffPerQuery: 1 * GIB,
    rawInfrequentAccessAfterDays: 30,
    stagingExpireAfterDays: 3,
    noncurrentExpireAfterDays: 7,
    athenaResultsExpireAfterDays: 3,
  },
  prod: {
    name: 'prod',
    namePrefix: 'spotify-lake-prod',
    bytesScannedCutoffPerQuery: 10 * GIB,
    rawInfrequentAccessAfterDays: 30,
    stagingExpireAfterDays: 7,
    noncurrentExpireAfterDays: 30,
    athenaResultsExpireAfterDays: 7,
  },
}

/** Glue database and table names may not contain hyphens. */
export function toGlueName(name: string): string {
  return name.replaceAll('-', '_')
}
