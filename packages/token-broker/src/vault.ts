/**
 * @module One account's tokens (or the app's), as logic over a synchronous key-value store: hands the
 * access token out until shortly before it expires, refreshes one at a time, stores a rotated refresh
 * token before anything uses it, and after `invalid_grant` calls the token endpoint no more.
 */
import type { TokenEndpoint } from '@spotify-lake/spotify-client'
import { fingerprint, open, type Sealed, seal, type TokenKeys } from './seal.ts'
import { brokerErrorOf } from './spotify.ts'
import type { AccountRecord, AdoptInput, BrokerError, SpotifyApp, TokenResult } from './types.ts'

/** The subset of `DurableObjectStorage['kv']` the vault uses (a `Map` stands in for it in tests). */
export interface SyncKv {
  get<T = unknown>(key: string): T | undefined
  put<T>(key: string, value: T): void
  delete(key: string): boolean
}

export interface VaultDeps {
  kv: SyncKv
  keys: () => Promise<TokenKeys>
  endpoint: (app: SpotifyApp) => TokenEndpoint
  now?: () => number
}

/**
 * An access token is handed out while it has more than this left (a consumer may use it for a while);
 * tokens that live shorter are handed out for the first half of their life.
 */
export const HANDOUT_MARGIN_MS = 5 * 60_000

interface StoredAccess {
  sealed: Sealed
  /** ms since the epoch: Spotify's `expires_in` from the moment it was asked. */
  expiresAt: number
  /** From here on a new one is fetched instead of handing this one out. */
  refreshAt: number
  fingerprint: string
}

const ok = (value: string, expiresAt: number): TokenResult => ({ ok: true, value, expiresAt })
const fail = (error: BrokerError): TokenResult => ({ ok: false, error })

/** The `refreshAt` of a token that lives `lifetimeMs` from `at`. */
const refreshAtOf = (at: number, lifetimeMs: number) =>
  at + lifetimeMs - Math.min(HANDOUT_MARGIN_MS, lifetimeMs / 2)

/** Shared by the account and app vaults: the cached access token, sealed. */
abstract class AccessCache {
  protected readonly kv: SyncKv
  protected readonly deps: VaultDeps
  protected readonly now: () => number
  #inFlight: Promise<TokenResult> | undefined

  constructor(deps: VaultDeps) {
    this.kv = deps.kv
    this.deps = deps
    this.now = deps.now ?? Date.now
  }

  protected abstract slot(): string
  /** Gets a new access token from Spotify and stores it (and anything else it got) before returning. */
  protected abstract renew(app: SpotifyApp): Promise<TokenResult>
  /** Why no token can be handed out without asking Spotify, or null. */
  protected abstract refusal(): BrokerError | null

  async accessToken(app: SpotifyApp): Promise<TokenResult> {
    const refused = this.refusal()
    if (refused) return fail(refused)
    const cached = this.kv.get<StoredAccess>('access')
    if (cached && this.now() < cached.refreshAt) {
      // A cached access token that does not open (sealed with a key since replaced) is only a cache miss.
      const keys = await this.deps.keys().catch(() => null)
      const value = keys && (await open(keys, cached.sealed, `${this.slot()}:access`).catch(() => null))
      if (value) return ok(value, cached.expiresAt)
    }
    // One refresh at a time: every caller while it is on its way gets its answer.
    this.#inFlight ??= this.renew(app).finally(() => {
      this.#inFlight = undefined
    })
    return this.#inFlight
  }

  /** Spotify refused this access token (401): the next `accessToken` asks for a new one. */
  async invalidate(tokenFingerprint: string): Promise<void> {
    if (this.kv.get<StoredAccess>('access')?.fingerprint === tokenFingerprint) this.kv.delete('access')
  }

  protected async storeAccess(token: string, expiresInSeconds: number, askedAt: number): Promise<number> {
    const lifetimeMs = expiresInSeconds * 1000
    const expiresAt = askedAt + lifetimeMs
    this.kv.put<StoredAccess>('access', {
      sealed: await seal(await this.deps.keys(), token, `${this.slot()}:access`),
      expiresAt,
      refreshAt: refreshAtOf(askedAt, lifetimeMs),
      fingerprint: await fingerprint(token),
    })
    return expiresAt
  }
}

/** The tokens of one connected account. */
export class AccountVault extends AccessCache {
  record(): AccountRecord | null {
    return this.kv.get<AccountRecord>('record') ?? null
  }

  protected slot(): string {
    return `account:${this.record()?.accountId ?? ''}`
  }

  protected refusal(): BrokerError | null {
    const record = this.record()
    if (record?.status === 'reauth_required') {
      return {
        kind: 'auth',
        status: 400,
        oauthError: 'invalid_grant',
        message: `Spotify refused this account's refresh token earlier, so it is not asked again: ${record.failure?.message ?? 'invalid_grant'}`,
      }
    }
    if (!record || record.status === 'disconnected' || this.kv.get('refresh') === undefined) {
      return { kind: 'config', message: 'this Spotify account is not connected: connect it (GET /connect)' }
    }
    return null
  }

  /** A new consent (connect, reconnect or seed): replaces the tokens and clears an earlier refusal. */
  async adopt(input: AdoptInput): Promise<AccountRecord> {
    const keys = await this.deps.keys()
    const slot = `account:${input.accountId}`
    const now = this.now()
    const record: AccountRecord = {
      accountId: input.accountId,
      userId: input.userId,
      ...(input.displayName ? { displayName: input.displayName } : {}),
      status: 'connected',
      consentedAt: input.consentedAt,
      connectedAt: new Date(now).toISOString(),
      source: input.source,
      refreshes: 0,
      rotations: 0,
    }
    const refresh = await seal(keys, input.refreshToken, `${slot}:refresh`)
    const access: StoredAccess = {
      sealed: await seal(keys, input.accessToken, `${slot}:access`),
      expiresAt: input.expiresAt,
      refreshAt: refreshAtOf(now, Math.max(0, input.expiresAt - now)),
      fingerprint: await fingerprint(input.accessToken),
    }
    // All three in one synchronous step: a reader never sees a record without its tokens.
    this.kv.put('record', record)
    this.kv.put('refresh', refresh)
    this.kv.put('access', access)
    return record
  }

  /** Removes the tokens; the record stays (as `disconnected`), and so does the account's data in the lake. */
  disconnect(): AccountRecord | null {
    const record = this.record()
    this.kv.delete('refresh')
    this.kv.delete('access')
    if (!record) return null
    const next: AccountRecord = { ...record, status: 'disconnected' }
    this.kv.put('record', next)
    return next
  }

  protected async renew(app: SpotifyApp): Promise<TokenResult> {
    const record = this.record() as AccountRecord
    const slot = this.slot()
    let keys: TokenKeys
    let refreshToken: string
    try {
      keys = await this.deps.keys()
      refreshToken = await open(keys, this.kv.get<Sealed>('refresh') as Sealed, `${slot}:refresh`)
    } catch (error) {
      return fail(brokerErrorOf(error))
    }
    const askedAt = this.now()
    let token: Awaited<ReturnType<TokenEndpoint['refresh']>>
    try {
      token = await this.deps.endpoint(app).refresh(refreshToken)
    } catch (error) {
      const refused = brokerErrorOf(error)
      if (refused.kind === 'auth' && refused.oauthError === 'invalid_grant') {
        // Expired (six months after consent), revoked or already used: only a new consent helps, so
        // Spotify is not asked again with it. The token is useless now; it goes too.
        this.kv.delete('refresh')
        this.kv.delete('access')
        this.kv.put<AccountRecord>('record', {
          ...record,
          status: 'reauth_required',
          failure: {
            reason: 'reauth_required',
            message: refused.message,
            at: new Date(askedAt).toISOString(),
          },
        })
      }
      return fail(refused)
    }
    const rotated = token.refresh_token !== undefined && token.refresh_token !== refreshToken
    const stale = (this.kv.get<Sealed>('refresh') as Sealed).kid !== keys.current.id
    if (rotated || stale) {
      // Single-use refresh tokens: the old one is dead already. Stored before the access token is handed
      // to anyone, so no consumer can act on this refresh before its successor is safe. (A token sealed
      // with the previous key of a rotation is sealed anew with the current one.)
      this.kv.put('refresh', await seal(keys, token.refresh_token ?? refreshToken, `${slot}:refresh`))
    }
    const expiresAt = await this.storeAccess(token.access_token, token.expires_in, askedAt)
    this.kv.put<AccountRecord>('record', {
      ...record,
      refreshes: record.refreshes + 1,
      rotations: record.rotations + (rotated ? 1 : 0),
      lastRefreshAt: new Date(askedAt).toISOString(),
    })
    return ok(token.access_token, expiresAt)
  }
}

/** The app's client-credentials token, shared by every consumer (catalog calls). */
export class AppVault extends AccessCache {
  protected slot(): string {
    return 'app'
  }

  protected refusal(): BrokerError | null {
    return null
  }

  protected async renew(app: SpotifyApp): Promise<TokenResult> {
    const askedAt = this.now()
    try {
      const token = await this.deps.endpoint(app).clientCredentials()
      return ok(token.access_token, await this.storeAccess(token.access_token, token.expires_in, askedAt))
    } catch (error) {
      return fail(brokerErrorOf(error))
    }
  }
}
