/**
 * @module Setup file: every console line is captured (and kept off the test output), and after each
 * file no line may contain a secret.
 */
import { afterAll, beforeEach, expect, inject, vi } from 'vitest'

declare global {
  var capturedLogs: string[]
}
globalThis.capturedLogs ??= []

beforeEach(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      globalThis.capturedLogs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    })
  }
})

afterAll(() => {
  const secrets = [...Object.values(inject('spotify').secrets), ...Object.values(globalThis.consents ?? {})]
  for (const line of globalThis.capturedLogs) for (const secret of secrets) expect(line).not.toContain(secret)
})
