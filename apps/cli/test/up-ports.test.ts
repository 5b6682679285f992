/** @module `lake up` refuses a dashboard port in use before it starts anything, not after a whole run. */

import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { upCommand } from '../src/commands/up.ts'
import { captureIo } from './support/capture.ts'

describe('lake up and its dashboard port', () => {
  it('says the dashboard port is in use and starts nothing', async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const { port } = busy.address() as AddressInfo
    try {
      const io = captureIo()
      const code = await runLake({
        argv: ['up', '--dashboard-port', String(port)],
        io,
        commands: [upCommand],
      })
      expect(code).not.toBe(0)
      expect(io.err()).toContain(`port ${port} on 127.0.0.1 is in use`)
      expect(io.err()).toContain('--dashboard-port or --no-dashboard')
      // Nothing began: no stack, no run.
      expect(io.out()).not.toContain('local pipeline')
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
  })
})
