/** @module Node tests of pure modules, and the Worker in workerd against the local S3 (IAM-gated) and the fake Spotify (globalSetup). */
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The fakes and the bucket are shared state: one file at a time.
    fileParallelism: false,
    projects: [
      { test: { name: 'node', include: ['test/node/**/*.test.ts'], testTimeout: 30_000 } },
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const s3 = inject('s3')
            const worker = inject('s3Worker')
            const spotify = inject('spotify')
            // The Worker and its coordinator reach S3 through a stand-in that tests can make refuse.
            const s3Endpoint = inject('s3StandIn')
            const athena = inject('athena')
            return {
              wrangler: { configPath: './wrangler.jsonc' },
              miniflare: {
                // Secrets and endpoints of the local servers; the development-mode fake is the default Spotify.
                bindings: {
                  S3_ENDPOINT: s3Endpoint,
                  S3_BUCKET: s3.bucket,
                  // The worker's own IAM identity: the local S3's IAM gate holds it to the deployed policy.
                  S3_ACCESS_KEY_ID: worker.accessKeyId,
                  S3_SECRET_ACCESS_KEY: worker.secretAccessKey,
                  SPOTIFY_API_BASE_URL: `${spotify.development.url}/v1`,
                  SPOTIFY_ACCOUNTS_BASE_URL: spotify.development.url,
                  SPOTIFY_API_MODE: 'auto',
                  SPOTIFY_CLIENT_ID: spotify.secrets.clientId,
                  SPOTIFY_CLIENT_SECRET: spotify.secrets.clientSecret,
                  SPOTIFY_REFRESH_TOKEN: spotify.secrets.refreshToken,
                  REFRESH_API_TOKEN: spotify.secrets.apiToken,
                  TOKEN_ENCRYPTION_KEY: spotify.secrets.tokenKey,
                  SOURCES: JSON.stringify({
                    playlists: spotify.development.playlists.owned,
                    myPlaylists: false,
                  }),
                  CALL_BUDGET: 3,
                  ATHENA_ENDPOINT: athena.endpoint,
                  ATHENA_WORKGROUP: athena.workgroup,
                  GLUE_DATABASE: athena.database,
                },
              },
            }
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/workerd/support/consent.ts', 'test/workerd/support/capture-console.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
})
