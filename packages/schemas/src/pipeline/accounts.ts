/**
 * @module Connected Spotify accounts as the pipeline sees them: the account id, its safe key in unit and
 * object names, its state (what health and every run manifest show), and the six-month consent rhythm.
 */
import { z } from 'zod'

/**
 * `GET /me`'s `account_id` (stable, pseudonymous; Spotify's key for linking accounts since May 2026), or
 * the user id when Spotify sends none. Printable ASCII without spaces.
 */
export const AccountIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'an account id is printable ASCII without spaces')
export type AccountId = z.infer<typeof AccountIdSchema>

const SAFE_KEY = /^[A-Za-z0-9._-]{1,64}$/

/**
 * The account id as it appears in unit keys and object names: itself when it is made of `[A-Za-z0-9._-]`
 * (Spotify's ids are), else `x` and a 64-bit FNV-1a hash of it (deterministic, no async digest needed).
 */
export function accountKey(accountId: AccountId): string {
  if (SAFE_KEY.test(accountId)) return accountId
  let hash = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(accountId)) {
    hash ^= BigInt(byte)
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return `x${hash.toString(16).padStart(16, '0')}`
}

/**
 * `connected`: the broker holds a refresh token; `reauth_required`: Spotify refused it (`invalid_grant`:
 * expired six months after consent, revoked, or already used) and only a new consent helps;
 * `disconnected`: the operator removed the token (its data stays in the lake).
 */
export const ACCOUNT_STATUSES = ['connected', 'reauth_required', 'disconnected'] as const
export const AccountStatusSchema = z.enum(ACCOUNT_STATUSES)
export type AccountStatus = z.infer<typeof AccountStatusSchema>

/** How long a refresh token lives after the user's consent (Spotify, since mid-2026); refreshing does not extend it. */
export const CONSENT_LIFETIME_MONTHS = 6
/** From this age of the consent on, health and every run summary warn with the days left. */
export const CONSENT_WARNING_MONTHS = 5

const DAY_MS = 86_400_000

function addMonths(instant: Date, months: number): Date {
  const at = new Date(instant.getTime())
  at.setUTCMonth(at.getUTCMonth() + months)
  return at
}

/** When a consent given at `consentedAt` stops working (calendar months, UTC). */
export function consentExpiresAt(consentedAt: string | Date): Date {
  return addMonths(new Date(consentedAt), CONSENT_LIFETIME_MONTHS)
}

/** One account as a run or health reports it. */
export const AccountStateSchema = z.object({
  accountId: AccountIdSchema,
  /** Spotify user id (owner ids in playlists are user ids). */
  userId: z.string().min(1),
  status: AccountStatusSchema,
  /** When the user consented (the refresh token's six months count from here). */
  consentedAt: z.iso.datetime(),
  /** `consentedAt` + 6 months: the day Spotify answers `invalid_grant`. */
  expiresAt: z.iso.datetime(),
  /** Whole days until `expiresAt` (0 on the last day, negative once past). */
  daysLeft: z.int(),
  /** Set from five months after consent on, and while reconnecting is needed: what to do, in words. */
  warning: z.string().optional(),
  /** Why Spotify refused the account's token, when it did (reason code and message). */
  failure: z.object({ reason: z.string(), message: z.string(), at: z.iso.datetime() }).optional(),
})
export type AccountState = z.infer<typeof AccountStateSchema>

export interface AccountFacts {
  accountId: AccountId
  userId: string
  status: AccountStatus
  consentedAt: string
  failure?: AccountState['failure']
}

/**
 * An account's state at `now`: days left of its consent and, when reconnecting is due (five months on)
 * or needed (`reauth_required`), a warning that says how.
 * @param reconnect how to reconnect, e.g. `open https://<worker>/connect`.
 */
export function accountState(
  facts: AccountFacts,
  { now = new Date(), reconnect }: { now?: Date; reconnect: string },
): AccountState {
  const expiresAt = consentExpiresAt(facts.consentedAt)
  const daysLeft = Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS)
  const warnFrom = addMonths(new Date(facts.consentedAt), CONSENT_WARNING_MONTHS)
  let warning: string | undefined
  if (facts.status === 'reauth_required') {
    warning = `Spotify no longer accepts this account's token (${facts.failure?.reason ?? 'reauth_required'}): ${reconnect}`
  } else if (facts.status === 'connected' && now.getTime() >= warnFrom.getTime()) {
    warning =
      daysLeft >= 0
        ? `the Spotify consent of this account expires in ${daysLeft} day(s), on ${expiresAt.toISOString().slice(0, 10)}: ${reconnect}`
        : `the Spotify consent of this account expired on ${expiresAt.toISOString().slice(0, 10)}: ${reconnect}`
  }
  return {
    accountId: facts.accountId,
    userId: facts.userId,
    status: facts.status,
    consentedAt: new Date(facts.consentedAt).toISOString(),
    expiresAt: expiresAt.toISOString(),
    daysLeft,
    ...(warning ? { warning } : {}),
    ...(facts.failure ? { failure: facts.failure } : {}),
  }
}
