import { describe, expect, it } from 'vitest'
import { retryDelay } from '../src/backoff.ts'

describe('retryDelay', () => {
  it('starts at base on the first retry, doubles per attempt and stops at cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelay({ attempt, base: 10, cap: 300 }))).toEqual([
      10, 10, 20, 40, 80, 160, 300, 300,
    ])
    expect(retryDelay({ attempt: 3, base: 30_000, cap: 3_600_000 })).toBe(120_000)
  })
})
