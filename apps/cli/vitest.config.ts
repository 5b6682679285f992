/** @module The CLI runs on Node only: unit tests, then the end-to-end tests over the real local stack. */
import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/browser/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // Debian's Chromium, headless, driven by playwright-core (README: apt-get install chromium).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Each file starts wrangler dev (two Workers, workerd) plus s3rver and the fake Spotify: one at a
          // time, and after the unit tests (group 1), so a 2-core CI runner is not oversubscribed.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
