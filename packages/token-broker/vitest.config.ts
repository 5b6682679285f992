/** @module The vault, registry and sealing are Node tests against the fake Spotify; the Durable Object runs in workerd in apps/worker's tests. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
