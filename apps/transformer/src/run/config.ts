/** @module The transformer's configuration: S3 settings from vars/secrets, checked once with clear errors. */
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'

/** The bindings the transformer reads (generated `Env` satisfies it; tests may pass their own). */
export interface TransformerConfigEnv {
  S3_ENDPOINT?: string
  S3_BUCKET?: string
  S3_REGION?: string
  S3_ACCESS_KEY_ID?: string
  S3_SECRET_ACCESS_KEY?: string
}

/** Names the missing settings, never their values: the secret must not reach a log. */
export function storeFromEnv(
  env: TransformerConfigEnv,
  { fetch }: { fetch?: typeof globalThis.fetch } = {},
): LakeStore {
  const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
    (name) => !env[name],
  )
  if (missing.length > 0) {
    throw new Error(
      `transformer: missing configuration ${missing.join(', ')} (vars in wrangler.jsonc, secrets via wrangler secret put)`,
    )
  }
  return createLakeStore({
    endpoint: env.S3_ENDPOINT!,
    bucket: env.S3_BUCKET!,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    region: env.S3_REGION || 'us-east-1',
    ...(fetch ? { fetch } : {}),
  })
}
