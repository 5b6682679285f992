/** @module A failed extraction settles its message: defer (long 429), retry (transient), or record and ack (permanent; a run-wide cause fails the run at once). */
import { type ApiStatsDelta, type BlockReason, globalStub, runStub } from '@spotify-lake/run-coordinator'
import type { AccountId, ExtractMessage, RunId } from '@spotify-lake/schemas'
import type { SpotifyExchange } from '@spotify-lake/spotify-client'
import { reconnectHint } from '../accounts/broker.ts'
import { log } from '../log.ts'
import { advanceAfterUnit, enqueueTransform } from '../run/queues.ts'
import { backoffSeconds, delayUntil, type Failure } from './classify-error.ts'
import { apiModeOf, type ExtractDeps } from './extract-deps.ts'
import { writeRawObject } from './raw-object.ts'

export async function settleFailure({
  message,
  msg,
  key,
  failure,
  responses,
  api,
  deps,
}: {
  message: Message<unknown>
  msg: ExtractMessage
  key: string
  failure: Failure
  responses: SpotifyExchange[]
  api: ApiStatsDelta
  deps: ExtractDeps
}): Promise<void> {
  const { env, now = () => new Date() } = deps
  const run = runStub(env.RUN_COORDINATOR, msg.runId)
  const fields = {
    runId: msg.runId,
    unit: key,
    reason: failure.reason,
    error: failure.message,
    attempts: message.attempts,
  }

  if (failure.kind === 'defer' && failure.retryAt) {
    const reason = blockReasonOf(failure)
    const until = await globalStub(env.RUN_COORDINATOR).blockUntil(failure.retryAt.toISOString(), reason)
    await run.unitDeferred({ key, retryAt: until, reason, api })
    const delaySeconds = delayUntil(new Date(until), now())
    log.warn('extract.rate-limited', { ...fields, blockedUntil: until, delaySeconds })
    message.retry({ delaySeconds })
    return
  }
  if (failure.kind !== 'permanent') {
    await run.unitFailed({ key, error: failure.message, reason: failure.reason, permanent: false, api })
    const delaySeconds = backoffSeconds(message.attempts)
    log.warn('extract.retry', { ...fields, delaySeconds })
    message.retry({ delaySeconds })
    return
  }
  // Permanent: keep whatever Spotify did answer (e.g. the playlist before a 403 on its items).
  const rawKeys: string[] = []
  if (responses.length > 0) {
    const { rawKey, source } = await writeRawObject({
      store: deps.store,
      runId: msg.runId,
      dt: msg.dt,
      unit: msg.unit,
      apiMode: apiModeOf(deps.client, deps.config),
      responses,
      now: now(),
    })
    await enqueueTransform(env, { runId: msg.runId, dt: msg.dt, source, rawKey })
    rawKeys.push(rawKey)
  }
  await recordPermanent({
    env,
    runId: msg.runId,
    dt: msg.dt,
    key,
    failure,
    rawKeys,
    api,
    account: 'accountId' in msg.unit ? msg.unit.accountId : undefined,
    reconnect: reconnectHint(deps.config),
  })
  log.warn('extract.failed', fields)
  message.ack()
}

/** Which block a deferring failure is: the developer account's quota, or the 30 s window. */
export function blockReasonOf(failure: Failure): BlockReason {
  return failure.reason === 'quota_exceeded' ? 'quota_exceeded' : 'rate_limited'
}

/**
 * Records a permanent failure of one unit. When its cause is the unit's account (its consent expired or
 * was revoked), every open unit of that account fails at once, and the run too when no other account is
 * left. When its cause is run-wide (credentials, configuration, S3 access), no other unit can succeed
 * either: the run is closed as `failed` at once with the reason and what to do, its lock released. Either
 * way the other messages concerned are acked unworked.
 */
export async function recordPermanent({
  env,
  runId,
  dt,
  key,
  failure,
  rawKeys = [],
  api,
  account,
  reconnect = reconnectHint({ PUBLIC_URL: undefined }),
}: {
  env: Pick<Env, 'RUN_COORDINATOR' | 'TRANSFORM_QUEUE' | 'EXTRACT_QUEUE'>
  runId: RunId
  dt: string
  key: string
  failure: Failure
  rawKeys?: string[]
  api?: ApiStatsDelta
  /** The account the unit read with, if any. */
  account?: AccountId | undefined
  /** How to reconnect an account (shown with it in the manifest). */
  reconnect?: string
}): Promise<void> {
  const run = runStub(env.RUN_COORDINATOR, runId)
  await run.unitFailed({ key, error: failure.message, reason: failure.reason, permanent: true, rawKeys, api })
  const { reason, message, action } = failure
  if (failure.scope === 'account' && account) {
    const closed = await run.failAccount({
      accountId: account,
      failure: { reason, message, action, unit: key },
      warning: `account ${account}: Spotify no longer accepts its token (${reason}): ${reconnect}`,
    })
    log.error('account.failed', { runId, unit: key, accountId: account, reason, error: message })
    if (closed?.failure) log.error('run.failed', { runId, unit: key, reason, error: message })
  } else if (failure.scope === 'run' || failure.scope === 'account') {
    await run.close({ status: 'failed', failure: { reason, message, action, unit: key } })
    log.error('run.failed', { runId, unit: key, reason, error: message })
  }
  await advanceAfterUnit(env, { runId, dt, claimant: key })
}
