/** @module The ledgers are pure: Node tests. The Durable Object itself is tested in workerd by apps/worker. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
