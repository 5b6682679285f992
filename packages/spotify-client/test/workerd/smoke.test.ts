import { describe, expect, it } from 'vitest'
import { hello } from '../../src/index.ts'

describe('workerd', () => {
  it('runs inside workerd', async () => {
    expect(hello()).toBe('spotify-client')
    expect(typeof navigator !== 'undefined' && navigator.userAgent).toBe('Cloudflare-Workers')
    const res = await fetch('http://127.0.0.1:18765/').catch((e: Error) => e.message)
    expect(res).toBeInstanceOf(Response)
  })
})
