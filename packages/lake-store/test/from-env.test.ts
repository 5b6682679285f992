import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lakeStoreFromEnv } from '../src/index.ts'
import { type LocalS3, startS3rver } from '../src/testing.ts'

let local: LocalS3
beforeAll(async () => {
  local = await startS3rver()
})
afterAll(() => local.close())

describe('lakeStoreFromEnv', () => {
  it('builds a store over the bucket the env names, region defaulting to us-east-1', async () => {
    const store = lakeStoreFromEnv(
      {
        S3_ENDPOINT: local.endpoint,
        S3_BUCKET: local.bucket,
        S3_REGION: '',
        S3_ACCESS_KEY_ID: local.accessKeyId,
        S3_SECRET_ACCESS_KEY: local.secretAccessKey,
      },
      { retries: 0 },
    )
    await store.putJson('state/from-env.json', { ok: true })
    expect(await store.getJson('state/from-env.json')).toEqual({ ok: true })
  })

  it('names every missing setting and who asked, never a value', () => {
    const secret = 'do-not-log-this-secret'
    const build = () =>
      lakeStoreFromEnv({ S3_BUCKET: 'b', S3_SECRET_ACCESS_KEY: secret }, { who: 'transformer' })
    expect(build).toThrow(
      'transformer: missing configuration S3_ENDPOINT, S3_ACCESS_KEY_ID (vars in wrangler.jsonc, secrets via wrangler secret put)',
    )
    let message = ''
    try {
      build()
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).not.toContain(secret)
  })
})
