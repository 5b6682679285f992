/** @module One EXTRACT message: Spotify -> raw object -> TRANSFORM message -> follow-up units -> coordinator -> ack. */
import { type BlockReason, globalStub, runStub } from '@spotify-lake/run-coordinator'
import { ExtractMessageSchema, unitKey } from '@spotify-lake/schemas'
import { type SpotifyExchange, SpotifyInvalidResponseError } from '@spotify-lake/spotify-client'
import { log } from '../log.ts'
import { advanceAfterUnit, enqueueTransform } from '../run/queues.ts'
import { lastSnapshot, rememberSnapshot } from '../sources/playlists/state.ts'
import { playsCursor, rememberPlaysCursor } from '../sources/recently-played/state.ts'
import { extractUnit } from '../sources/registry.ts'
import { rememberSavedLibrary, savedLibraryState } from '../sources/saved-library/state.ts'
import type { UnitOutcome } from '../sources/types.ts'
import { backoffSeconds, classifyError, delayUntil, type Failure } from './classify-error.ts'
import { apiModeOf, type ExtractDeps, statsDelta } from './extract-deps.ts'
import { planFollowUps } from './follow-ups.ts'
import { writeRawObject } from './raw-object.ts'
import { blockReasonOf, settleFailure } from './settle-failure.ts'

export type { ExtractDeps } from './extract-deps.ts'

/**
 * Handles one message and settles it (ack or retry). Errors of the pipeline's own steps (S3, the
 * coordinator, queues) propagate: the caller retries the whole message, which is safe because every
 * step is idempotent (deterministic raw keys, coordinator keyed by unit and raw key).
 */
export async function processExtractMessage(message: Message<unknown>, deps: ExtractDeps): Promise<void> {
  const { env, client, now = () => new Date() } = deps
  const parsed = ExtractMessageSchema.safeParse(message.body)
  if (!parsed.success) {
    // Nothing to record it against and no delivery will make it valid: logged (with the issue, not the body).
    log.error('extract.invalid-message', { id: message.id, issue: parsed.error.issues[0]?.message })
    message.ack()
    return
  }
  const msg = parsed.data
  const key = unitKey(msg.unit)
  const run = runStub(env.RUN_COORDINATOR, msg.runId)

  // At-least-once delivery: a unit settled by an earlier copy of this message is not fetched again.
  const settled = await run.unitStatus(key)
  if (
    settled === 'extracted' ||
    settled === 'unchanged' ||
    settled === 'failed' ||
    settled === 'dead_lettered' ||
    settled === 'skipped'
  ) {
    // That copy may have died between its report and its finalize claim: claim again (same claimant).
    await advanceAfterUnit(env, { runId: msg.runId, dt: msg.dt, claimant: key })
    log.info('extract.duplicate', { runId: msg.runId, unit: key, status: settled })
    message.ack()
    return
  }

  // Someone already got a long 429: do not call Spotify until it lifts.
  const global = globalStub(env.RUN_COORDINATOR)
  const blocked = await global.blockedUntil()
  if (blocked) {
    const reason = (await global.blockReason()) ?? 'rate_limited'
    await run.unitDeferred({ key, retryAt: blocked, reason })
    const delaySeconds = delayUntil(new Date(blocked), now())
    log.warn('extract.deferred', {
      runId: msg.runId,
      unit: key,
      blockedUntil: blocked,
      reason,
      delaySeconds,
      called: false,
    })
    message.retry({ delaySeconds })
    return
  }

  const responses: SpotifyExchange[] = []
  const before = client.stats()
  let outcome: UnitOutcome | undefined
  let failure: Failure | undefined
  try {
    outcome = await extractUnit(msg.unit, {
      client,
      callBudget: deps.config.CALL_BUDGET,
      force: msg.force,
      lastSnapshot: (playlistId) => lastSnapshot({ store: deps.store, playlistId, runId: msg.runId }),
      playsCursor: (accountId) => playsCursor({ store: deps.store, accountId }),
      savedLibrary: (type, accountId) => savedLibraryState({ store: deps.store, type, accountId }),
      libraryFullListingMs: deps.config.LIBRARY_FULL_LISTING_DAYS * 86_400_000,
      now,
      responses,
    })
  } catch (error) {
    failure = classifyError(error)
    // A body we could not read is still kept in raw: the transformer files it as a reject.
    if (error instanceof SpotifyInvalidResponseError && error.raw) responses.push(error.raw)
  }
  const api = statsDelta(before, client.stats())

  if (failure) return settleFailure({ message, msg, key, failure, responses, api, deps })
  if (!outcome) throw new Error('unreachable: neither outcome nor failure')

  const { rawKey, source } = await writeRawObject({
    store: deps.store,
    runId: msg.runId,
    dt: msg.dt,
    unit: outcome.unit,
    apiMode: apiModeOf(client, deps.config),
    responses,
    now: now(),
  })
  await enqueueTransform(env, { runId: msg.runId, dt: msg.dt, source, rawKey })
  const report = { key, rawKeys: [rawKey], itemsSeen: 0, api, apiMode: apiModeOf(client, deps.config) }

  if (outcome.kind === 'unchanged') {
    await run.unitUnchanged(report)
  } else {
    const { interrupted } = outcome
    const pause = interrupted ? await pauseBeforeNextPart({ interrupted, deps }) : undefined
    const nextDelaySeconds = pause?.delaySeconds
    if (interrupted) {
      log.warn('extract.interrupted', {
        runId: msg.runId,
        unit: key,
        reason: interrupted.reason,
        error: interrupted.message,
        items: outcome.items,
        nextOffset: outcome.next?.type === 'playlist' ? outcome.next.offset : undefined,
        delaySeconds: nextDelaySeconds,
      })
    }
    if (outcome.unreadable) {
      log.warn('extract.unreadable-items', {
        runId: msg.runId,
        unit: key,
        rawKey,
        entries: outcome.unreadable,
      })
    }
    await planFollowUps({ msg, key, outcome, deps, nextDelaySeconds })
    // The next part waits out the rate limit: the run shows `deferred` until then.
    if (pause?.blockedUntil && outcome.next) {
      await run.unitDeferred({
        key: unitKey(outcome.next),
        retryAt: pause.blockedUntil,
        reason: pause.reason,
      })
    }
    if (outcome.completedSnapshot) {
      await rememberSnapshot({
        store: deps.store,
        ...outcome.completedSnapshot,
        runId: msg.runId,
        dt: msg.dt,
        now: now(),
      })
    }
    if (outcome.catalogFetched) {
      // Only now, with the raw object stored: a unit that failed leaves its ids due for the next run.
      await globalStub(env.RUN_COORDINATOR).catalogFetched(outcome.catalogFetched)
    }
    if (outcome.playsCursor) {
      await rememberPlaysCursor({
        store: deps.store,
        ...outcome.playsCursor,
        runId: msg.runId,
        dt: msg.dt,
        now: now(),
      })
    }
    if (outcome.savedLibrary) {
      await rememberSavedLibrary({
        store: deps.store,
        ...outcome.savedLibrary,
        runId: msg.runId,
        dt: msg.dt,
        now: now(),
      })
    }
    const gap = outcome.possibleGap
    if (gap) log.warn('extract.possible-gap', { runId: msg.runId, unit: key, from: gap.from, to: gap.to })
    await run.unitExtracted({
      ...report,
      itemsSeen: outcome.items,
      ...(gap ? { possibleGap: { account: gap.accountId, from: gap.from, to: gap.to } } : {}),
      ...(interrupted ? { interrupted: { reason: interrupted.reason, message: interrupted.message } } : {}),
    })
  }
  await advanceAfterUnit(env, { runId: msg.runId, dt: msg.dt, claimant: key })
  log.info('extract.done', {
    runId: msg.runId,
    unit: key,
    outcome: outcome.kind,
    rawKey,
    calls: api.calls ?? 0,
  })
  message.ack()
}

/**
 * How long the rest of an interrupted playlist waits: until Spotify's rate limit lifts (recorded as the
 * app-wide block), or one backoff step after a transient failure.
 */
async function pauseBeforeNextPart({
  interrupted,
  deps,
}: {
  interrupted: Failure
  deps: ExtractDeps
}): Promise<{ delaySeconds: number; blockedUntil?: string; reason?: BlockReason }> {
  const { env, now = () => new Date() } = deps
  if (interrupted.kind === 'defer' && interrupted.retryAt) {
    const reason = blockReasonOf(interrupted)
    const until = await globalStub(env.RUN_COORDINATOR).blockUntil(interrupted.retryAt.toISOString(), reason)
    return { delaySeconds: delayUntil(new Date(until), now()), blockedUntil: until, reason }
  }
  return { delaySeconds: backoffSeconds(1) }
}
