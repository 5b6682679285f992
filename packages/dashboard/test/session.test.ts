import { describe, expect, it } from 'vitest'
import { createSession, SESSION_TTL_SECONDS, secretsEqual, verifySession } from '../src/session.ts'

describe('the session cookie', () => {
  const now = Date.UTC(2026, 10, 29, 12)

  it('is valid for its secret until it expires, and never holds the secret', async () => {
    const value = await createSession('the-token', now)
    expect(value).not.toContain('the-token')
    expect(await verifySession(value, 'the-token', now + 1000)).toBe(true)
    expect(await verifySession(value, 'the-token', now + SESSION_TTL_SECONDS * 1000)).toBe(false)
  })

  it('is refused for another secret, when tampered with, or when absent', async () => {
    const value = await createSession('the-token', now)
    expect(await verifySession(value, 'a-rotated-token', now)).toBe(false)
    const [v, expires, sig] = value.split('.') as [string, string, string]
    expect(await verifySession(`${v}.${Number(expires) + 86_400_000}.${sig}`, 'the-token', now)).toBe(false)
    expect(await verifySession(`${v}.${expires}.${sig.slice(0, -1)}A`, 'the-token', now)).toBe(
      sig.endsWith('A'),
    )
    expect(await verifySession(undefined, 'the-token', now)).toBe(false)
    expect(await verifySession(value, '', now)).toBe(false)
  })

  it('compares secrets whole', async () => {
    expect(await secretsEqual('abc', 'abc')).toBe(true)
    expect(await secretsEqual('abc', 'abcd')).toBe(false)
    expect(await secretsEqual('', 'abc')).toBe(false)
  })
})
