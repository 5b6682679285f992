/**
 * @module The `TokenBroker` Durable Object: one instance per Spotify account (`account:<realm>:<id>`), one
 * for the app's client-credentials token (`app:<realm>`) and one registry (`accounts:<realm>`). State on
 * SQLite-backed synchronous KV, tokens sealed with `TOKEN_ENCRYPTION_KEY`; each RPC's writes are durable
 * before its answer leaves the object (output gate), so a rotated refresh token is stored before anyone
 * holds the access token that came with it.
 */
import { DurableObject } from 'cloudflare:workers'
import type { AccountId } from '@spotify-lake/schemas'
import { brokerNames, realmOf } from './names.ts'
import { type AccountPort, AccountRegistry, type SeedRecord } from './registry.ts'
import { importTokenKeys, type TokenKeys } from './seal.ts'
import { currentAccount, tokenEndpointOf } from './spotify.ts'
import type {
  AccountRecord,
  AdoptInput,
  ConnectResult,
  SeedResult,
  SpotifyApp,
  TokenResult,
} from './types.ts'
import { AccountVault, AppVault } from './vault.ts'

/** The bindings the object needs from whichever Worker hosts it. */
export interface TokenBrokerEnv {
  TOKEN_BROKER: DurableObjectNamespace<TokenBroker>
  /** 32 random bytes, base64 (`openssl rand -base64 32`): seals every stored token. */
  TOKEN_ENCRYPTION_KEY: string
  /** The key before a rotation, while values sealed with it remain. */
  TOKEN_ENCRYPTION_KEY_PREVIOUS?: string
}

export class TokenBroker extends DurableObject<TokenBrokerEnv> {
  readonly #account: AccountVault
  readonly #app: AppVault
  readonly #registries = new Map<string, AccountRegistry>()
  #keys: Promise<TokenKeys> | undefined

  constructor(ctx: DurableObjectState, env: TokenBrokerEnv) {
    super(ctx, env)
    const deps = { kv: ctx.storage.kv, keys: () => this.#loadKeys(), endpoint: tokenEndpointOf }
    this.#account = new AccountVault(deps)
    this.#app = new AppVault(deps)
  }

  // ---- one account (account:<realm>:<id>)

  /** The account's access token, refreshed single-flight when it has less than a few minutes left. */
  async accessToken(app: SpotifyApp): Promise<TokenResult> {
    return this.#account.accessToken(app)
  }

  /** Spotify refused the token with this fingerprint (401): the next request gets a new one. */
  async invalidate(tokenFingerprint: string): Promise<void> {
    await this.#account.invalidate(tokenFingerprint)
  }

  async record(): Promise<AccountRecord | null> {
    return this.#account.record()
  }

  async adopt(input: AdoptInput): Promise<AccountRecord> {
    return this.#account.adopt(input)
  }

  async disconnect(): Promise<AccountRecord | null> {
    return this.#account.disconnect()
  }

  // ---- the app (app:<realm>)

  async appAccessToken(app: SpotifyApp): Promise<TokenResult> {
    return this.#app.accessToken(app)
  }

  async invalidateApp(tokenFingerprint: string): Promise<void> {
    await this.#app.invalidate(tokenFingerprint)
  }

  // ---- the registry (accounts:<realm>)

  async listAccounts(app: SpotifyApp): Promise<AccountRecord[]> {
    return this.#registry(app).accounts()
  }

  async seedRecord(app: SpotifyApp): Promise<SeedRecord | null> {
    return this.#registry(app).seed()
  }

  async ensureSeeded(input: {
    app: SpotifyApp
    refreshToken: string | undefined
    consentedAt?: string | undefined
  }): Promise<SeedResult> {
    return this.#registry(input.app).ensureSeeded(input)
  }

  async startConnect(input: {
    app: SpotifyApp
    nonceHash: string
    redirectUri: string
  }): Promise<{ state: string; expiresAt: number }> {
    return this.#registry(input.app).startConnect(input)
  }

  async finishConnect(input: {
    app: SpotifyApp
    state: string
    nonceHash: string
    code?: string | undefined
    error?: string | undefined
  }): Promise<ConnectResult> {
    return this.#registry(input.app).finishConnect(input)
  }

  async disconnectAccount(app: SpotifyApp, accountId: AccountId): Promise<AccountRecord | null> {
    return this.#registry(app).disconnect(accountId)
  }

  #registry(app: SpotifyApp): AccountRegistry {
    const realm = realmOf(app)
    let registry = this.#registries.get(realm)
    if (!registry) {
      registry = new AccountRegistry({
        kv: this.ctx.storage.kv,
        keys: () => this.#loadKeys(),
        endpoint: tokenEndpointOf,
        account: (accountId) => this.#accountPort(realm, accountId),
        whoAmI: currentAccount,
      })
      this.#registries.set(realm, registry)
    }
    return registry
  }

  #accountPort(realm: string, accountId: AccountId): AccountPort {
    const ns = this.env.TOKEN_BROKER
    return ns.get(ns.idFromName(brokerNames.account(realm, accountId))) as unknown as AccountPort
  }

  #loadKeys(): Promise<TokenKeys> {
    // Not cached on failure: a fixed secret is picked up on the next call.
    this.#keys ??= importTokenKeys({
      current: this.env.TOKEN_ENCRYPTION_KEY,
      previous: this.env.TOKEN_ENCRYPTION_KEY_PREVIOUS,
    }).catch((error: unknown) => {
      this.#keys = undefined
      throw error
    })
    return this.#keys
  }
}
