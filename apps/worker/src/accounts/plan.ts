/**
 * @module The accounts a run extracts for: the secret seeds its account once, then every account the
 * broker knows, with its state now (days of consent left, a warning from five months on, or why it
 * cannot be used).
 */
import { type AccountState, accountState } from '@spotify-lake/schemas'
import type { SeedResult } from '@spotify-lake/token-broker'
import type { ExtractConfig } from '../config.ts'
import { log } from '../log.ts'
import { brokerFor, reconnectHint } from './broker.ts'

export interface RunAccounts {
  /** Every account of the realm except disconnected ones, as it stands now. */
  accounts: AccountState[]
  /** Those a run can extract for (`connected`). */
  usable: AccountState[]
  /** What the `SPOTIFY_REFRESH_TOKEN` secret did (`refused`: Spotify said no, with why). */
  seed: SeedResult
}

/**
 * Seeds from the secret (once per value: a token call and `GET /me`, inside the broker) and lists the
 * accounts. Never throws for a refused secret: the caller decides what a run without accounts does.
 */
export async function runAccounts({
  env,
  config,
  now = new Date(),
}: {
  env: Pick<Env, 'TOKEN_BROKER'>
  config: ExtractConfig
  now?: Date
}): Promise<RunAccounts> {
  const broker = brokerFor(env, config)
  const seed = await broker.registry.ensureSeeded({
    app: broker.app,
    refreshToken: config.SPOTIFY_REFRESH_TOKEN,
    consentedAt: config.SPOTIFY_CONSENTED_AT
      ? new Date(config.SPOTIFY_CONSENTED_AT).toISOString()
      : undefined,
  })
  if (seed.seeded) log.info('accounts.seeded', { accountId: seed.accountId })
  else if (seed.why === 'refused') log.warn('accounts.seed-refused', { error: seed.error.message })
  const reconnect = reconnectHint(config)
  const accounts = (await broker.registry.listAccounts(broker.app))
    .filter((record) => record.status !== 'disconnected')
    .map((record) => accountState(record, { now, reconnect }))
  return { accounts, usable: accounts.filter((a) => a.status === 'connected'), seed }
}
