/**
 * @module Setup file: every console line is captured (and kept off the test output), and after each
 * file no line may contain a secret: the configured ones, and every token the fakes issued.
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

/** Every token and code the fakes ever issued (access and refresh tokens, rotated ones, codes). */
export async function issuedSecrets(): Promise<string[]> {
  const { development, extended } = inject('spotify')
  const lists = await Promise.all(
    [development.url, extended.url].map(
      async (url) => (await (await fetch(`${url}/__fake/secrets`)).json()) as string[],
    ),
  )
  return lists.flat()
}

afterAll(async () => {
  const secrets = [
    ...Object.values(inject('spotify').secrets),
    ...Object.values(globalThis.consents ?? {}),
    ...(await issuedSecrets()),
  ]
  for (const line of globalThis.capturedLogs) for (const secret of secrets) expect(line).not.toContain(secret)
})
