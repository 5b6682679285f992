/** @module The one way a Worker turns its S3 vars and secrets into a `LakeStore`. */
import { createLakeStore } from './store.ts'
import type { LakeStore, LakeStoreOptions } from './types.ts'

/**
 * The S3 settings a Worker reads: `S3_ENDPOINT`, `S3_BUCKET` and `S3_REGION` are vars in `wrangler.jsonc`,
 * the key pair comes from `wrangler secret put`. A generated `Env` satisfies it.
 */
export interface LakeStoreEnv {
  S3_ENDPOINT?: string
  S3_BUCKET?: string
  /** Empty or unset: `us-east-1`. */
  S3_REGION?: string
  S3_ACCESS_KEY_ID?: string
  S3_SECRET_ACCESS_KEY?: string
}

const REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const

/**
 * A store over the bucket the env names.
 *
 * @param env the Worker's bindings (only the `S3_*` ones are read)
 * @param options `who` prefixes the error (`'transformer'`, `'RunCoordinator'`); the rest (`fetch`,
 *   `retries`, `timeoutMs`, `style`) passes through to `createLakeStore`
 * @returns a `LakeStore`; nothing is sent until it is used
 * @throws Error naming every missing setting, never a value: the secret must not reach a log
 * @example
 * const store = lakeStoreFromEnv(env, { who: 'transformer' })
 */
export function lakeStoreFromEnv(
  env: LakeStoreEnv,
  {
    who = 'lake-store',
    ...options
  }: { who?: string } & Partial<Omit<LakeStoreOptions, keyof LakeStoreCredentials>> = {},
): LakeStore {
  const missing = REQUIRED.filter((name) => !env[name])
  if (missing.length > 0) {
    throw new Error(
      `${who}: missing configuration ${missing.join(', ')} (vars in wrangler.jsonc, secrets via wrangler secret put)`,
    )
  }
  return createLakeStore({
    ...options,
    endpoint: env.S3_ENDPOINT!,
    bucket: env.S3_BUCKET!,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    region: env.S3_REGION || 'us-east-1',
  })
}

type LakeStoreCredentials = Pick<
  LakeStoreOptions,
  'endpoint' | 'bucket' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'region'
>
