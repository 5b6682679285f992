/** @module Synth tests run in Node; the guard is for a loaded 2-core runner, not a timing assertion. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
})
