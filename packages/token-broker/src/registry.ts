/**
 * @module The realm's list of accounts and how consents reach them: the `SPOTIFY_REFRESH_TOKEN` secret
 * seeds one account once, and `/connect` round trips (state random, single-use, bound to a browser
 * nonce, short-lived) add or reconnect accounts. A fresh consent's tokens are stored sealed before
 * Spotify is asked who the user is, so a crash in between loses nothing.
 */
import type { AccountId } from '@spotify-lake/schemas'
import type { TokenEndpoint } from '@spotify-lake/spotify-client'
import { fingerprint, open, type Sealed, seal, type TokenKeys } from './seal.ts'
import { brokerErrorOf } from './spotify.ts'
import type { AccountRecord, AdoptInput, ConnectResult, SeedResult, SpotifyApp } from './types.ts'
import type { SyncKv } from './vault.ts'

/** One account's instance, as the registry reaches it (an RPC stub in the Durable Object). */
export interface AccountPort {
  adopt(input: AdoptInput): Promise<AccountRecord>
  record(): Promise<AccountRecord | null>
  disconnect(): Promise<AccountRecord | null>
}

export interface RegistryDeps {
  kv: SyncKv & { list<T = unknown>(options?: { prefix?: string }): Iterable<[string, T]> }
  keys: () => Promise<TokenKeys>
  endpoint: (app: SpotifyApp) => TokenEndpoint
  account: (accountId: AccountId) => AccountPort
  /** `GET /me` with a fresh access token: the account id (`account_id`, else the user id). */
  whoAmI: (
    app: SpotifyApp,
    accessToken: string,
  ) => Promise<{ accountId: AccountId; userId: string; displayName?: string | undefined }>
  now?: () => number
}

/** How long a `/connect` state stays valid: enough to sign in and approve, short enough to be useless later. */
export const CONNECT_STATE_TTL_MS = 10 * 60_000

/** A consent's tokens between the token endpoint and the account's instance. */
interface PendingConsent {
  refresh: Sealed
  access: Sealed
  expiresAt: number
  consentedAt: string
  source: AccountRecord['source']
}

interface ConnectState {
  nonceHash: string
  redirectUri: string
  expiresAt: number
}

/** What became of the secret with this fingerprint (never the secret itself). */
export interface SeedRecord {
  fingerprint: string
  outcome: 'adopted' | 'refused'
  accountId?: AccountId
  /** For `refused`: Spotify's answer, so it is not asked again with the same dead token. */
  reason?: string
  message?: string
  at: string
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

export class AccountRegistry {
  readonly #deps: RegistryDeps
  readonly #kv: RegistryDeps['kv']
  readonly #now: () => number
  #seeding: Promise<SeedResult> | undefined

  constructor(deps: RegistryDeps) {
    this.#deps = deps
    this.#kv = deps.kv
    this.#now = deps.now ?? Date.now
  }

  /** Account ids in the order they were first connected. */
  ids(): AccountId[] {
    return this.#kv.get<AccountId[]>('accounts') ?? []
  }

  /** Every account ever connected in this realm, with its state (disconnected ones too). */
  async accounts(): Promise<AccountRecord[]> {
    const records = await Promise.all(this.ids().map((id) => this.#deps.account(id).record()))
    return records.filter((r): r is AccountRecord => r !== null)
  }

  /** What became of the last `SPOTIFY_REFRESH_TOKEN` seen, or null. */
  seed(): SeedRecord | null {
    return this.#kv.get<SeedRecord>('seed') ?? null
  }

  /**
   * Seeds an account from the secret once per secret value: a secret seen before is never used again
   * (its token may have been rotated away since); a new value (the operator stored a new token) is a
   * reconnect. A secret Spotify refuses is remembered, so it is not tried on every run.
   */
  async ensureSeeded({
    app,
    refreshToken,
    consentedAt,
  }: {
    app: SpotifyApp
    refreshToken: string | undefined
    /** When the secret's consent was given, if the operator knows (else: now). */
    consentedAt?: string | undefined
  }): Promise<SeedResult> {
    if (!refreshToken) return { seeded: false, why: 'no_secret' }
    const print = await fingerprint(refreshToken)
    const known = this.seed()
    if (known?.fingerprint === print) {
      return known.outcome === 'refused'
        ? {
            seeded: false,
            why: 'refused',
            error: { kind: 'auth', oauthError: known.reason, message: known.message ?? '' },
          }
        : { seeded: false, why: 'known' }
    }
    this.#seeding ??= this.#seedFrom({ app, refreshToken, print, consentedAt }).finally(() => {
      this.#seeding = undefined
    })
    return this.#seeding
  }

  async #seedFrom({
    app,
    refreshToken,
    print,
    consentedAt,
  }: {
    app: SpotifyApp
    refreshToken: string
    print: string
    consentedAt: string | undefined
  }): Promise<SeedResult> {
    const slot = `pending:seed:${print}`
    if (!this.#kv.get(slot)) {
      const askedAt = this.#now()
      try {
        const token = await this.#deps.endpoint(app).refresh(refreshToken)
        await this.#hold(slot, {
          refreshToken: token.refresh_token ?? refreshToken,
          accessToken: token.access_token,
          expiresAt: askedAt + token.expires_in * 1000,
          consentedAt: consentedAt ?? new Date(askedAt).toISOString(),
          source: 'secret',
        })
      } catch (error) {
        const refused = brokerErrorOf(error)
        if (refused.kind !== 'auth') return { seeded: false, why: 'unavailable', error: refused }
        this.#kv.put<SeedRecord>('seed', {
          fingerprint: print,
          outcome: 'refused',
          ...(refused.oauthError ? { reason: refused.oauthError } : {}),
          message: refused.message,
          at: new Date(askedAt).toISOString(),
        })
        return { seeded: false, why: 'refused', error: refused }
      }
    }
    const record = await this.#release(app, slot)
    this.#kv.put<SeedRecord>('seed', {
      fingerprint: print,
      outcome: 'adopted',
      accountId: record.accountId,
      at: new Date(this.#now()).toISOString(),
    })
    return { seeded: true, accountId: record.accountId }
  }

  /** Opens a `/connect` round trip: a random state bound to the browser's nonce (its SHA-256). */
  async startConnect({
    nonceHash,
    redirectUri,
    ttlMs = CONNECT_STATE_TTL_MS,
  }: {
    nonceHash: string
    redirectUri: string
    ttlMs?: number
  }): Promise<{ state: string; expiresAt: number }> {
    const now = this.#now()
    for (const [key, entry] of [...this.#kv.list<ConnectState>({ prefix: 'connect:' })]) {
      if (entry.expiresAt <= now) this.#kv.delete(key)
    }
    const state = base64Url(crypto.getRandomValues(new Uint8Array(32)))
    const expiresAt = now + ttlMs
    this.#kv.put<ConnectState>(`connect:${state}`, { nonceHash, redirectUri, expiresAt })
    return { state, expiresAt }
  }

  /**
   * Finishes a round trip: the state is used up whatever happens, must not be expired and must belong to
   * the same browser (`nonceHash`); then the code is exchanged (confidential client), the tokens held
   * sealed, `GET /me` names the account, and its instance adopts them.
   */
  async finishConnect({
    app,
    state,
    nonceHash,
    code,
    error,
  }: {
    app: SpotifyApp
    state: string
    nonceHash: string
    code?: string | undefined
    error?: string | undefined
  }): Promise<ConnectResult> {
    const key = `connect:${state}`
    const entry = this.#kv.get<ConnectState>(key)
    if (!state || !entry) {
      return {
        ok: false,
        reason: 'unknown_state',
        message:
          'this consent is unknown: its state was forged, already used, or belongs to another Worker. Start again at /connect',
      }
    }
    this.#kv.delete(key)
    if (this.#now() > entry.expiresAt) {
      return {
        ok: false,
        reason: 'expired_state',
        message: `this consent took longer than ${CONNECT_STATE_TTL_MS / 60_000} minutes. Start again at /connect`,
      }
    }
    if (entry.nonceHash !== nonceHash) {
      return {
        ok: false,
        reason: 'state_mismatch',
        message:
          'this consent was started in another browser (or its cookie is gone). Start again at /connect in this browser',
      }
    }
    if (error) {
      return { ok: false, reason: error, message: `Spotify answered the consent with error "${error}"` }
    }
    if (!code) return { ok: false, reason: 'no_code', message: 'Spotify sent neither a code nor an error' }
    const slot = `pending:connect:${await fingerprint(state)}`
    const askedAt = this.#now()
    try {
      const token = await this.#deps.endpoint(app).exchangeCode({ code, redirectUri: entry.redirectUri })
      await this.#hold(slot, {
        refreshToken: token.refresh_token,
        accessToken: token.access_token,
        expiresAt: askedAt + token.expires_in * 1000,
        consentedAt: new Date(askedAt).toISOString(),
        source: 'connect',
      })
    } catch (failure) {
      const refused = brokerErrorOf(failure)
      const reason = refused.kind === 'auth' ? (refused.oauthError ?? 'auth') : refused.kind
      return { ok: false, reason, message: refused.message }
    }
    try {
      return { ok: true, account: await this.#release(app, slot) }
    } catch (failure) {
      return { ok: false, reason: 'spotify_error', message: brokerErrorOf(failure).message }
    }
  }

  /** Removes an account's tokens; it stays listed as `disconnected`, its data stays in the lake. */
  async disconnect(accountId: AccountId): Promise<AccountRecord | null> {
    if (!this.ids().includes(accountId)) return null
    return this.#deps.account(accountId).disconnect()
  }

  async #hold(
    slot: string,
    consent: Omit<PendingConsent, 'refresh' | 'access'> & { refreshToken: string; accessToken: string },
  ): Promise<void> {
    const keys = await this.#deps.keys()
    this.#kv.put<PendingConsent>(slot, {
      refresh: await seal(keys, consent.refreshToken, `${slot}:refresh`),
      access: await seal(keys, consent.accessToken, `${slot}:access`),
      expiresAt: consent.expiresAt,
      consentedAt: consent.consentedAt,
      source: consent.source,
    })
  }

  /** Names the held consent's account (`GET /me`), hands its tokens over, lists it, and forgets the hold. */
  async #release(app: SpotifyApp, slot: string): Promise<AccountRecord> {
    let pending = this.#kv.get<PendingConsent>(slot) as PendingConsent
    const keys = await this.#deps.keys()
    let refreshToken = await open(keys, pending.refresh, `${slot}:refresh`)
    let accessToken = await open(keys, pending.access, `${slot}:access`)
    if (pending.expiresAt - this.#now() < 60_000) {
      // A hold left by an earlier attempt that died: its access token is stale, the refresh token is not.
      const askedAt = this.#now()
      const token = await this.#deps.endpoint(app).refresh(refreshToken)
      refreshToken = token.refresh_token ?? refreshToken
      accessToken = token.access_token
      await this.#hold(slot, {
        ...pending,
        refreshToken,
        accessToken,
        expiresAt: askedAt + token.expires_in * 1000,
      })
      pending = this.#kv.get<PendingConsent>(slot) as PendingConsent
    }
    const who = await this.#deps.whoAmI(app, accessToken)
    const record = await this.#deps.account(who.accountId).adopt({
      ...who,
      consentedAt: pending.consentedAt,
      source: pending.source,
      refreshToken,
      accessToken,
      expiresAt: pending.expiresAt,
    })
    const ids = this.ids()
    if (!ids.includes(who.accountId)) this.#kv.put('accounts', [...ids, who.accountId])
    this.#kv.delete(slot)
    return record
  }
}
