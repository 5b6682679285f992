/**
 * @module GET /health: liveness, whether the configuration is valid (field names only, no values), each
 * connected account's state (days of consent left, or what to do), and Spotify's block. `degraded` says
 * a run would not (fully) succeed, with what to do in `problems`.
 */
import { globalStub } from '@spotify-lake/run-coordinator'
import { type AccountState, accountState } from '@spotify-lake/schemas'
import { fingerprint } from '@spotify-lake/token-broker'
import { Hono } from 'hono'
import { brokerFor, reconnectHint } from '../accounts/broker.ts'
import {
  ConfigError,
  type ExtractConfig,
  ExtractConfigSchema,
  HttpConfigSchema,
  PlanConfigSchema,
  readConfig,
} from '../config.ts'
import type { AppEnv } from './types.ts'

type HealthAccount = Pick<
  AccountState,
  'accountId' | 'status' | 'consentedAt' | 'expiresAt' | 'daysLeft' | 'warning'
>

export const healthRoute = new Hono<AppEnv>().get('/health', async (c) => {
  const invalid = new Set<string>()
  let extract: ExtractConfig | undefined
  let myPlaylists = false
  for (const schema of [HttpConfigSchema, PlanConfigSchema, ExtractConfigSchema]) {
    try {
      const config = readConfig(schema, c.env)
      if (schema === ExtractConfigSchema) extract = config as ExtractConfig
      if (schema === PlanConfigSchema)
        myPlaylists = (config as { SOURCES: { myPlaylists: boolean } }).SOURCES.myPlaylists
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      for (const field of error.fields) invalid.add(field)
    }
  }
  const problems: string[] = []
  const warnings: string[] = []
  if (invalid.size > 0) problems.push(`fix the invalid configuration: ${[...invalid].sort().join(', ')}`)

  let accounts: HealthAccount[] | undefined
  let spotify: { blockedUntil: string; reason: string; message: string } | undefined
  if (extract) {
    try {
      const broker = brokerFor(c.env, extract)
      const reconnect = reconnectHint(extract, new URL(c.req.url).origin)
      const records = await broker.registry.listAccounts(broker.app)
      accounts = records.map((record) => {
        const { accountId, status, consentedAt, expiresAt, daysLeft, warning } = accountState(record, {
          reconnect,
        })
        return { accountId, status, consentedAt, expiresAt, daysLeft, ...(warning ? { warning } : {}) }
      })
      for (const a of accounts) {
        if (a.status === 'reauth_required') problems.push(`account ${a.accountId}: ${a.warning}`)
        else if (a.warning) warnings.push(`account ${a.accountId}: ${a.warning}`)
      }
      const seed = await broker.registry.seedRecord(broker.app)
      const connected = accounts.filter((a) => a.status === 'connected')
      // A secret not seen yet connects its account at the next run's start.
      const secret = extract.SPOTIFY_REFRESH_TOKEN
      const unseen = secret !== undefined && (await fingerprint(secret)) !== seed?.fingerprint
      if (seed?.outcome === 'refused' && connected.length === 0 && !unseen) {
        problems.push(`SPOTIFY_REFRESH_TOKEN was refused by Spotify (${seed.message}): ${reconnect}`)
      } else if (myPlaylists && connected.length === 0 && !unseen) {
        problems.push(`no Spotify account is connected: ${reconnect}`)
      }
    } catch (error) {
      problems.push(`the token broker did not answer: ${(error as Error).message.slice(0, 300)}`)
    }
    try {
      const global = globalStub(c.env.RUN_COORDINATOR)
      const until = await global.blockedUntil()
      if (until) {
        const reason = (await global.blockReason()) ?? 'rate_limited'
        const message =
          reason === 'quota_exceeded'
            ? `Spotify's quota for this developer account is used up (QUOTA_EXCEEDED): no call to Spotify until ${until}; every app of the developer account shares it`
            : `Spotify rate-limits the app: no call to Spotify until ${until}`
        spotify = { blockedUntil: until, reason, message }
        ;(reason === 'quota_exceeded' ? problems : warnings).push(message)
      }
    } catch {
      // The coordinator's state is not the health of the configuration: left out when it does not answer.
    }
  }
  return c.json({
    status: problems.length === 0 ? 'ok' : 'degraded',
    service: 'spotify-lake-worker',
    config: invalid.size === 0 ? 'ok' : 'invalid',
    ...(invalid.size > 0 ? { invalidFields: [...invalid].sort() } : {}),
    ...(accounts ? { accounts } : {}),
    ...(spotify ? { spotify } : {}),
    ...(problems.length > 0 ? { problems } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    time: new Date().toISOString(),
  })
})
