/** @module Public API of @spotify-lake/token-broker: the Durable Object, typed stubs, and tokens as a client's source. */
import type { AccountId } from '@spotify-lake/schemas'
import type { AccessTokenSource } from '@spotify-lake/spotify-client'
import { brokerNames, realmOf } from './names.ts'
import { fingerprint } from './seal.ts'
import { spotifyErrorOf } from './spotify.ts'
import type { TokenBroker } from './token-broker.ts'
import type { SpotifyApp, TokenResult } from './types.ts'

export { brokerNames, realmOf } from './names.ts'
export { AccountRegistry, CONNECT_STATE_TTL_MS, type SeedRecord } from './registry.ts'
export {
  fingerprint,
  importTokenKey,
  importTokenKeys,
  open,
  type Sealed,
  seal,
  TokenKeyError,
  type TokenKeys,
} from './seal.ts'
export { brokerErrorOf, currentAccount, spotifyErrorOf, tokenEndpointOf } from './spotify.ts'
export { TokenBroker, type TokenBrokerEnv } from './token-broker.ts'
export type * from './types.ts'
export { AccountVault, AppVault, HANDOUT_MARGIN_MS, type SyncKv } from './vault.ts'

export type TokenBrokerNamespace = DurableObjectNamespace<TokenBroker>

/** Typed stubs of one app's broker instances. */
export interface Broker {
  app: SpotifyApp
  realm: string
  registry: DurableObjectStub<TokenBroker>
  account(accountId: AccountId): DurableObjectStub<TokenBroker>
  appToken: DurableObjectStub<TokenBroker>
}

/**
 * The broker of `app`: its registry, each account's instance and the app-token instance.
 * @example
 * const broker = brokerOf(env.TOKEN_BROKER, app)
 * const accounts = await broker.registry.listAccounts(app)
 */
export function brokerOf(namespace: TokenBrokerNamespace, app: SpotifyApp): Broker {
  const realm = realmOf(app)
  const stub = (name: string) => namespace.get(namespace.idFromName(name))
  return {
    app,
    realm,
    registry: stub(brokerNames.registry(realm)),
    account: (accountId) => stub(brokerNames.account(realm, accountId)),
    appToken: stub(brokerNames.app(realm)),
  }
}

function tokenOf(result: TokenResult) {
  if (!result.ok) throw spotifyErrorOf(result.error)
  return { value: result.value, expiresAt: result.expiresAt }
}

/**
 * An account's tokens as a Spotify client's `userAccessToken`: the client never calls the token
 * endpoint itself; the broker's refusal surfaces as the client's own error class (`invalid_grant` as
 * `SpotifyAuthError`), so the failure table reads it as if the client had been refused.
 */
export function accountTokenSource(broker: Broker, accountId: AccountId): AccessTokenSource {
  const stub = broker.account(accountId)
  return {
    get: async () => tokenOf(await stub.accessToken(broker.app)),
    invalidate: async (token) => stub.invalidate(await fingerprint(token)),
  }
}

/** The app's client-credentials token as a Spotify client's `appAccessToken`. */
export function appTokenSource(broker: Broker): AccessTokenSource {
  return {
    get: async () => tokenOf(await broker.appToken.appAccessToken(broker.app)),
    invalidate: async (token) => broker.appToken.invalidateApp(await fingerprint(token)),
  }
}
