/** @module Where `lake query` finds the lake: S3 settings and Athena names from the environment. */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The local stack's state: $LAKE_STATE_DIR, else `.lake/` at the repository root (git-ignored). */
export const LAKE_STATE_DIR = process.env.LAKE_STATE_DIR
  ? resolve(process.env.LAKE_STATE_DIR)
  : fileURLToPath(new URL('../../../../.lake/', import.meta.url))

/** `cache/` in the state folder: Parquet synced from S3 for DuckDB. */
export const DEFAULT_CACHE_DIR = join(LAKE_STATE_DIR, 'cache')

export const S3_ENV = {
  endpoint: 'LAKE_S3_ENDPOINT',
  bucket: 'LAKE_S3_BUCKET',
  accessKeyId: 'LAKE_S3_ACCESS_KEY_ID',
  secretAccessKey: 'LAKE_S3_SECRET_ACCESS_KEY',
} as const

export const ATHENA_ENV = { workgroup: 'LAKE_ATHENA_WORKGROUP', database: 'LAKE_GLUE_DATABASE' } as const

export interface S3Config {
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
}

export type Env = Readonly<Record<string, string | undefined>>

/** The S3 settings, or the names of the variables that are missing (never their values). */
export function readS3Config(env: Env): { config: S3Config } | { missing: string[] } {
  const entries = Object.entries(S3_ENV).map(([field, name]) => [field, env[name]?.trim() ?? ''] as const)
  const missing = entries
    .filter(([, value]) => value === '')
    .map(([field]) => S3_ENV[field as keyof S3Config])
  if (missing.length > 0) return { missing }
  return { config: Object.fromEntries(entries) as unknown as S3Config }
}
