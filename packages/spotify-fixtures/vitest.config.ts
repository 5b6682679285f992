/** @module Node tests: the fixtures are all here, and nowhere else in the repository. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
