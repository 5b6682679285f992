/** @module The dashboard's pure parts (session, panels, view helpers) on Node; the page itself is tested in Chromium (apps/cli/test/browser). */
import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { include: ['test/**/*.test.ts'] } })
