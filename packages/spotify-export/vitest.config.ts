/** @module Node tests of the export reader; the workerd proof is in apps/worker's workerd project. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
