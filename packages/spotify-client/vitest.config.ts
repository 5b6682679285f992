import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Two runtimes, one `vitest run`: plain Node tests (real HTTP on 127.0.0.1) and the same code inside workerd.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/workerd/**'],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            miniflare: { compatibilityDate: '2026-10-01', compatibilityFlags: ['nodejs_compat'] },
          }),
        ],
        test: {
          name: 'workerd',
          testTimeout: 30_000,
          include: ['test/workerd/**/*.test.ts'],
          // Starts fake Spotify servers in Node; workers reach them over 127.0.0.1 (URLs via inject()).
          globalSetup: ['test/support/workerd-global-setup.ts'],
        },
      },
    ],
  },
})
