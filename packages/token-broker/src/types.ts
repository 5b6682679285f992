/** @module The broker's RPC contract: the app it brokers for, token results, errors as data, accounts. */
import type { AccountFacts, AccountId } from '@spotify-lake/schemas'

/**
 * The Spotify app whose tokens are brokered. Tokens belong to a client id: the broker keeps one realm of
 * accounts per (client id, accounts service), so a new app starts clean instead of refreshing with
 * tokens another app's id was given.
 */
export interface SpotifyApp {
  clientId: string
  /** The confidential client's secret: refreshes and code exchanges authenticate with HTTP Basic. */
  clientSecret: string
  accountsBaseUrl: string
  apiBaseUrl: string
}

/**
 * Why a token could not be handed out, as plain data (errors do not keep their class across RPC):
 * `auth` is the token endpoint's refusal with its OAuth code (`invalid_grant`: consent again);
 * `rate_limited` a 429 with the instant to come back; `unavailable` 5xx or network after retries;
 * `config` something only the operator can fix (an account that is not connected, a key that does not open).
 */
export type BrokerError =
  | { kind: 'auth'; message: string; status?: number | undefined; oauthError?: string | undefined }
  | { kind: 'rate_limited'; message: string; retryAt: string; quotaExceeded: boolean }
  | { kind: 'invalid_response'; message: string; path: string }
  | { kind: 'unavailable' | 'timeout' | 'config'; message: string }

/** An access token for a consumer, or why not. */
export type TokenResult = { ok: true; value: string; expiresAt: number } | { ok: false; error: BrokerError }

/** What the broker keeps about one account besides its tokens (no token in here). */
export interface AccountRecord extends AccountFacts {
  displayName?: string | undefined
  /** When the current consent reached the broker (connect or seed). */
  connectedAt: string
  /** How it got here: a `/connect` consent, or the `SPOTIFY_REFRESH_TOKEN` secret. */
  source: 'connect' | 'secret'
  /** Token-endpoint refreshes and rotations since `connectedAt`, and the last refresh. */
  refreshes: number
  rotations: number
  lastRefreshAt?: string | undefined
}

/** A fresh consent handed to an account's instance: the tokens of a code exchange or a seed refresh. */
export interface AdoptInput {
  accountId: AccountId
  userId: string
  displayName?: string | undefined
  consentedAt: string
  source: AccountRecord['source']
  refreshToken: string
  accessToken: string
  expiresAt: number
}

/** The end of a `/connect` round trip, for the callback page. */
export type ConnectResult =
  | { ok: true; account: AccountRecord }
  | {
      ok: false
      /** `unknown_state` (forged, replayed or from another Worker), `expired_state`, `state_mismatch` (another browser), or the token endpoint's refusal. */
      reason: string
      message: string
    }

/** What `ensureSeeded` did with the `SPOTIFY_REFRESH_TOKEN` secret. */
export type SeedResult =
  | { seeded: false; why: 'no_secret' | 'known' }
  | { seeded: true; accountId: AccountId }
  /** Spotify refused the secret (remembered: not tried again until it changes). */
  | { seeded: false; why: 'refused'; error: BrokerError }
  /** Spotify could not be asked (5xx, network, rate limit): tried again on the next run. */
  | { seeded: false; why: 'unavailable'; error: BrokerError }
