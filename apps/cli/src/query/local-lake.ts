/** @module The lake that `lake up` / `lake run --local` left in .lake/s3 ($LAKE_STATE_DIR/s3), served for a moment to sync from. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { startS3rver } from '@spotify-lake/lake-store/testing'
import { UsageError } from '../command.ts'
import { type Env, LAKE_STATE_DIR, readS3Config, S3_ENV, type S3Config } from './config.ts'

/** Where the local stack keeps its S3 data (see apps/cli/src/local/stack.ts). */
export const LOCAL_LAKE_DIR = join(LAKE_STATE_DIR, 's3')

export function hasLocalLake(dir = LOCAL_LAKE_DIR): boolean {
  return existsSync(join(dir, 'spotify-lake'))
}

/** Starts an S3 server over the local lake's folder, runs `fn` with its config, stops it again. */
export async function withLocalLake<T>(
  fn: (config: S3Config) => Promise<T>,
  dir = LOCAL_LAKE_DIR,
): Promise<T> {
  const local = await startS3rver({ directory: dir, bucket: 'spotify-lake' })
  try {
    const { endpoint, bucket, accessKeyId, secretAccessKey } = local
    return await fn({ endpoint, bucket, accessKeyId, secretAccessKey })
  } finally {
    await local.close()
  }
}

/**
 * Runs `fn` on the lake every command reads: the S3 named by LAKE_S3_* (when any of them is set, or
 * `overrides` name an endpoint or bucket, all four are needed), else the local lake that `lake up` /
 * `lake run --local` left, served for the moment. `lake query`, `lake runs` and `lake replay` agree.
 */
export async function withLake<T>(
  {
    env,
    localLakeDir = LOCAL_LAKE_DIR,
    overrides = {},
  }: { env: Env; localLakeDir?: string; overrides?: { endpoint?: string; bucket?: string } },
  fn: (store: LakeStore) => Promise<T>,
): Promise<T> {
  const merged: Env = {
    ...env,
    ...(overrides.endpoint ? { [S3_ENV.endpoint]: overrides.endpoint } : {}),
    ...(overrides.bucket ? { [S3_ENV.bucket]: overrides.bucket } : {}),
  }
  const s3 = readS3Config(merged)
  const region = env.LAKE_S3_REGION || 'us-east-1'
  if ('config' in s3) return fn(createLakeStore({ ...s3.config, region, retries: 1 }))
  if (s3.missing.length === Object.keys(S3_ENV).length && hasLocalLake(localLakeDir)) {
    return withLocalLake((config) => fn(createLakeStore({ ...config, retries: 1 })), localLakeDir)
  }
  throw new UsageError(
    `S3 is not configured: set ${s3.missing.join(', ')} (or run \`lake up\` for a local lake in ${localLakeDir})`,
  )
}
