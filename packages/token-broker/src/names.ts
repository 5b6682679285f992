/** @module Names of the broker's instances: a realm per Spotify app, and its registry, accounts and app token. */
import type { AccountId } from '@spotify-lake/schemas'
import type { SpotifyApp } from './types.ts'

/**
 * A short, stable name of the app a token belongs to (FNV-1a 64 of client id and accounts service):
 * each app has its own accounts, and changing `SPOTIFY_CLIENT_ID` never reuses another app's tokens.
 */
export function realmOf(app: Pick<SpotifyApp, 'clientId' | 'accountsBaseUrl'>): string {
  let hash = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(`${app.clientId}|${app.accountsBaseUrl}`)) {
    hash ^= BigInt(byte)
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash.toString(16).padStart(16, '0')
}

/** Instance names (`idFromName`) of one realm. */
export const brokerNames = {
  registry: (realm: string) => `accounts:${realm}`,
  account: (realm: string, accountId: AccountId) => `account:${realm}:${accountId}`,
  app: (realm: string) => `app:${realm}`,
}
