/** @module Accounts: safe keys, the six-month consent and the warning from five months on. */
import { describe, expect, it } from 'vitest'
import {
  AccountIdSchema,
  accountKey,
  accountState,
  consentExpiresAt,
  ExtractUnitSchema,
} from '../../src/index.ts'

const reconnect = 'open https://lake.example/connect'

describe('accountKey', () => {
  it('keeps safe ids and hashes the rest into the object-key alphabet, deterministically', () => {
    expect(accountKey('aB3dE5fG7h')).toBe('aB3dE5fG7h')
    expect(accountKey('user.name_1-2')).toBe('user.name_1-2')
    const odd = accountKey('späß/user')
    expect(odd).toMatch(/^x[0-9a-f]{16}$/)
    expect(accountKey('späß/user')).toBe(odd)
    expect(accountKey('späß/usEr')).not.toBe(odd)
  })

  it('account ids are printable without spaces', () => {
    expect(AccountIdSchema.safeParse('a b').success).toBe(false)
    expect(AccountIdSchema.safeParse('').success).toBe(false)
  })
})

describe('accountState', () => {
  const consentedAt = '2026-01-31T10:00:00.000Z'

  it('expires six calendar months after consent', () => {
    expect(consentExpiresAt(consentedAt).toISOString()).toBe('2026-07-31T10:00:00.000Z')
  })

  it('warns from five months on with the days left, not before', () => {
    const facts = { accountId: 'a1', userId: 'u1', status: 'connected' as const, consentedAt }
    const early = accountState(facts, { now: new Date('2026-06-30T09:59:59Z'), reconnect })
    expect(early.warning).toBeUndefined()
    expect(early.daysLeft).toBe(31)
    const due = accountState(facts, { now: new Date('2026-07-01T10:00:00Z'), reconnect })
    expect(due.daysLeft).toBe(30)
    expect(due.warning).toBe(
      'the Spotify consent of this account expires in 30 day(s), on 2026-07-31: open https://lake.example/connect',
    )
    const past = accountState(facts, { now: new Date('2026-08-02T10:00:00Z'), reconnect })
    expect(past.daysLeft).toBe(-2)
    expect(past.warning).toMatch(/expired on 2026-07-31/)
  })

  it('an account that needs consent again says so whatever its age', () => {
    const state = accountState(
      {
        accountId: 'a1',
        userId: 'u1',
        status: 'reauth_required',
        consentedAt,
        failure: { reason: 'reauth_required', message: 'invalid_grant', at: '2026-02-01T00:00:00.000Z' },
      },
      { now: new Date('2026-02-01T00:00:00Z'), reconnect },
    )
    expect(state.warning).toBe(
      "Spotify no longer accepts this account's token (reauth_required): open https://lake.example/connect",
    )
  })
})

describe('units name their account', () => {
  it('my-playlists needs the account and its user id; playlists may name one', () => {
    expect(ExtractUnitSchema.safeParse({ type: 'my-playlists' }).success).toBe(false)
    expect(ExtractUnitSchema.parse({ type: 'my-playlists', accountId: 'a1', userId: 'u1' })).toEqual({
      type: 'my-playlists',
      accountId: 'a1',
      userId: 'u1',
    })
    expect(ExtractUnitSchema.parse({ type: 'playlist', playlistId: 'p1', accountId: 'a1' })).toMatchObject({
      accountId: 'a1',
      offset: 0,
      part: 0,
    })
  })
})
