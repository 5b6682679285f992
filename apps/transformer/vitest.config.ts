/** @module Node tests (normalize, Parquet, compaction against s3rver, CLI) and workerd tests (the queue consumer). */
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/workerd/**'],
          testTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const s3 = inject('s3')
            return {
              wrangler: { configPath: './test/workerd/wrangler.test.jsonc' },
              miniflare: {
                bindings: {
                  S3_ENDPOINT: s3.endpoint,
                  S3_BUCKET: s3.bucket,
                  S3_REGION: 'us-east-1',
                  S3_ACCESS_KEY_ID: s3.accessKeyId,
                  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
                },
              },
            }
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          globalSetup: ['test/support/s3-global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
})
