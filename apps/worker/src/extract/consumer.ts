/** @module The queue handler: EXTRACT batches (one Spotify client per account and batch) and the extract dead-letter queue. */
import { type LakeStore, type LakeStoreEnv, lakeStoreFromEnv } from '@spotify-lake/lake-store'
import { describeError, runStub } from '@spotify-lake/run-coordinator'
import {
  type AccountId,
  type ApiMode,
  ExtractMessageSchema,
  type ExtractUnit,
  unitKey,
} from '@spotify-lake/schemas'
import { createSpotifyClient, type SpotifyClient } from '@spotify-lake/spotify-client'
import { accountTokenSource, appTokenSource, type Broker } from '@spotify-lake/token-broker'
import { brokerFor } from '../accounts/broker.ts'
import { type ExtractConfig, ExtractConfigSchema, readConfig } from '../config.ts'
import { log } from '../log.ts'
import { backoffSeconds, classifyError } from './classify-error.ts'
import { consumeDeadLetters } from './dead-letter.ts'
import { processExtractMessage } from './process-message.ts'
import { recordPermanent } from './settle-failure.ts'

/** The lake over the validated config's S3 settings (config checks them first, with zod's messages). */
export function lakeStoreOf(config: LakeStoreEnv): LakeStore {
  return lakeStoreFromEnv(config, { who: 'worker' })
}

/**
 * A Spotify client whose tokens come from the broker: the account's (user token) when the unit names one,
 * and the app's client-credentials token; it never calls the token endpoint itself, so refreshes happen
 * once per token, not once per invocation.
 */
export function spotifyClientOf(
  config: ExtractConfig,
  broker: Broker,
  { mode, accountId }: { mode?: ApiMode | null; accountId?: AccountId | undefined } = {},
): SpotifyClient {
  return createSpotifyClient({
    clientId: config.SPOTIFY_CLIENT_ID,
    appAccessToken: appTokenSource(broker),
    userAccessToken: accountId ? accountTokenSource(broker, accountId) : undefined,
    mode: mode ?? config.SPOTIFY_API_MODE,
    apiBaseUrl: config.SPOTIFY_API_BASE_URL,
    accountsBaseUrl: config.SPOTIFY_ACCOUNTS_BASE_URL,
    concurrency: config.CLIENT_CONCURRENCY,
    maxWaitMs: config.SPOTIFY_MAX_WAIT_SECONDS * 1000,
    quotaBlockMs: config.SPOTIFY_QUOTA_BLOCK_SECONDS * 1000,
  })
}

/** The account whose token a unit reads with (none: the app's). */
export function accountOf(unit: ExtractUnit): AccountId | undefined {
  return 'accountId' in unit ? unit.accountId : undefined
}

/**
 * One client per account for the batch (one limiter and rate budget each), created when first needed;
 * a later client starts with the mode an earlier one detected, so `auto` probes once per batch.
 */
function clientPool(config: ExtractConfig, broker: Broker, mode: ApiMode | null) {
  const clients = new Map<string, SpotifyClient>()
  return (accountId: AccountId | undefined): SpotifyClient => {
    const key = accountId ?? ''
    let client = clients.get(key)
    if (!client) {
      const known = [...clients.values()].map((c) => c.mode()).find((m) => m !== undefined)
      client = spotifyClientOf(config, broker, { mode: mode ?? known ?? null, accountId })
      clients.set(key, client)
    }
    return client
  }
}

export async function queue(batch: MessageBatch<unknown>, env: Env, _ctx?: ExecutionContext): Promise<void> {
  if (batch.queue.endsWith('-dlq')) {
    await consumeDeadLetters(batch, env)
    return
  }
  let config: ExtractConfig
  try {
    config = readConfig(ExtractConfigSchema, env)
  } catch (error) {
    // Invalid config fails every run of the batch at once (reason config_invalid, fields named), unworked.
    log.error('config.invalid', { queue: batch.queue, error: describeError(error) })
    for (const message of batch.messages) await settleCrash(message, error, env)
    return
  }
  const mode = config.SPOTIFY_API_MODE === 'auto' ? await knownApiMode(batch, env) : null
  const clientFor = clientPool(config, brokerFor(env, config), mode)
  const store = lakeStoreOf(config)
  // One message at a time: the batch shares one client per account and its rate budget.
  for (const message of batch.messages) {
    const parsed = ExtractMessageSchema.safeParse(message.body)
    const client = clientFor(parsed.success ? accountOf(parsed.data.unit) : undefined)
    const deps = { env, config, store, client }
    const error = await processExtractMessage(message, deps).then(
      () => null,
      (e: unknown) => e,
    )
    if (error !== null) await settleCrash(message, error, env)
  }
}

/**
 * An error of the pipeline's own steps (S3, the coordinator, a queue send), outside the Spotify calls:
 * the failure table decides too. Permanent ones are recorded (a run-wide one fails the run) and acked;
 * the rest retry the whole message with backoff (every step is idempotent).
 */
async function settleCrash(message: Message<unknown>, error: unknown, env: Env): Promise<void> {
  const failure = classifyError(error)
  log.error('extract.error', {
    id: message.id,
    attempts: message.attempts,
    reason: failure.reason,
    error: failure.message,
  })
  const parsed = ExtractMessageSchema.safeParse(message.body)
  if (failure.kind === 'permanent' && parsed.success) {
    const { runId, dt, unit } = parsed.data
    const recorded = await recordPermanent({
      env,
      runId,
      dt,
      key: unitKey(unit),
      failure,
      account: accountOf(unit),
    }).then(
      () => true,
      (e: unknown) => {
        log.error('extract.record-failed', { id: message.id, error: describeError(e) })
        return false
      },
    )
    if (recorded) {
      message.ack()
      return
    }
  }
  message.retry({ delaySeconds: backoffSeconds(message.attempts) })
}

/**
 * `auto` costs one probe call per client, and a client lives for one batch: once a unit of the run
 * has detected the mode, the coordinator remembers it and later batches reuse it.
 */
async function knownApiMode(batch: MessageBatch<unknown>, env: Env): Promise<ApiMode | null> {
  for (const message of batch.messages) {
    const parsed = ExtractMessageSchema.safeParse(message.body)
    if (parsed.success) return runStub(env.RUN_COORDINATOR, parsed.data.runId).apiMode()
  }
  return null
}
