/** @module The lake that `lake up` / `lake run --local` left in .lake/s3 ($LAKE_STATE_DIR/s3), served for a moment to sync from. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startS3rver } from '@spotify-lake/lake-store/testing'
import { LAKE_STATE_DIR, type S3Config } from './config.ts'

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
