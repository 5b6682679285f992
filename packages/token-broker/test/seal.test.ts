/** @module Sealing tokens at rest: AES-256-GCM round trips, slots, key ids and key rotation. */
import { describe, expect, it } from 'vitest'
import { fingerprint, importTokenKey, importTokenKeys, open, seal, TokenKeyError } from '../src/seal.ts'

const KEY_A = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))
const KEY_B = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)))

describe('seal and open', () => {
  it('round-trips, never shows the plaintext, and uses a fresh IV each time', async () => {
    const keys = await importTokenKeys({ current: KEY_A })
    const a = await seal(keys, 'refresh-token-plaintext', 'account:x:refresh')
    const b = await seal(keys, 'refresh-token-plaintext', 'account:x:refresh')
    expect(JSON.stringify(a)).not.toContain('refresh-token-plaintext')
    expect(a.iv).not.toBe(b.iv)
    expect(a.ct).not.toBe(b.ct)
    expect(a.kid).toMatch(/^[0-9a-f]{8}$/)
    expect(await open(keys, a, 'account:x:refresh')).toBe('refresh-token-plaintext')
  })

  it('refuses another slot, an altered value and an unknown key', async () => {
    const keys = await importTokenKeys({ current: KEY_A })
    const sealed = await seal(keys, 'secret-value', 'account:x:refresh')
    await expect(open(keys, sealed, 'account:y:refresh')).rejects.toThrow(TokenKeyError)
    const altered = { ...sealed, ct: `${sealed.ct.slice(0, -4)}AAA=` }
    await expect(open(keys, altered, 'account:x:refresh')).rejects.toThrow(/does not open/)
    const other = await importTokenKeys({ current: KEY_B })
    await expect(open(other, sealed, 'account:x:refresh')).rejects.toThrow(/TOKEN_ENCRYPTION_KEY_PREVIOUS/)
  })

  it('opens values of the previous key during a rotation, and seals with the new one', async () => {
    const old = await importTokenKeys({ current: KEY_A })
    const sealed = await seal(old, 'v', 'slot')
    const rotated = await importTokenKeys({ current: KEY_B, previous: KEY_A })
    expect(await open(rotated, sealed, 'slot')).toBe('v')
    expect((await seal(rotated, 'v', 'slot')).kid).toBe(rotated.current.id)
  })

  it('explains a missing or malformed key without echoing it', async () => {
    await expect(importTokenKeys({ current: undefined })).rejects.toThrow(/TOKEN_ENCRYPTION_KEY is not set/)
    await expect(importTokenKey(btoa('short-key-text'))).rejects.toThrow(/must be 32 bytes.*got 14/)
    const error = await importTokenKey('not base64 !!').catch((e: Error) => e)
    expect(error).toBeInstanceOf(TokenKeyError)
    expect((error as Error).message).not.toContain('not base64 !!')
  })

  it('fingerprints are short, stable and one-way', async () => {
    expect(await fingerprint('abc')).toBe(await fingerprint('abc'))
    expect(await fingerprint('abc')).toMatch(/^[0-9a-f]{16}$/)
    expect(await fingerprint('abd')).not.toBe(await fingerprint('abc'))
  })
})
