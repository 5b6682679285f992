/** @module The TRANSFORM queue consumer: transform -> stage, finalize -> compact + manifest, replay -> rebuild. */

import { type LakeStore, lakeStoreFromEnv } from '@spotify-lake/lake-store'
import { retryDelay, runStub } from '@spotify-lake/run-coordinator'
import { classifyFailure } from '@spotify-lake/run-coordinator/failures'
import {
  CLOSED_RUN_STATUSES,
  COMPLETE_UNIT_STATUSES,
  type FinalizeMessage,
  LAKE_TABLE_NAMES,
  type LakeTableName,
  type TransformMessage,
  type TransformQueueMessage,
  TransformQueueMessageSchema,
  type UnitStatus,
} from '@spotify-lake/schemas'
import { onImport } from '../import/on-import.ts'
import { finalizing, tableCompleteness, writeRunTables } from '../load/completeness.ts'
import { clearRunStaging, partOfRawKey, stageOutput } from '../load/stage.ts'
import { transformRaw } from '../normalize/transform-raw.ts'
import type { ConsumerDeps, TransformerEnv } from './config.ts'
import { type RunCoordinatorClient, reportTransformed } from './coordinator.ts'
import { isDeadLetterQueue, onDeadLetter } from './dead-letter.ts'
import { type ExpectedCounts, finalizeRun, removeStaging } from './finalize.ts'
import { RunStillOpenError, replay } from './replay.ts'

/** A failure that no retry can fix; it still goes through retries so it ends in the DLQ, inspectable. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError'
}

/** Exponential backoff per attempt, capped at 15 minutes (Queues allow up to 12 h). */
export function retryDelaySeconds(attempts: number): number {
  return retryDelay({ attempt: attempts, base: 15, cap: 900 })
}

async function onTransform(
  message: TransformMessage,
  attempts: number,
  env: TransformerEnv,
  deps: Required<Pick<ConsumerDeps, 'coordinator'>> & ConsumerDeps & { store: LakeStore },
) {
  const { store, coordinator: coordinatorOf, ...parquet } = deps
  const { runId, dt, source, rawKey } = message
  const bytes = await store.get(rawKey)
  if (!bytes) throw new PermanentError(`raw object not found: ${rawKey}`)
  const { output } = await transformRaw({ bytes, name: rawKey, expect: { runId, dt, source } })
  const summary = await stageOutput({ store, output, dt, runId, part: partOfRawKey(rawKey), ...parquet })
  const coordinator = coordinatorOf(runId)
  await reportTransformed({ coordinator, rawKey, summary, runId, dt, attempts, queue: env.TRANSFORM })
  // A copy delivered after the run closed (an extract message retried after it had sent this one): its
  // finalize already compacted or cleared staging, so what this copy staged would stay behind for good.
  if ((await coordinator.liveness()).state === 'closed') await clearRunStaging({ store, dt, runId })
}

async function onFinalize(
  message: FinalizeMessage,
  deps: ConsumerDeps & { store: LakeStore; coordinator: (runId: string) => RunCoordinatorClient },
) {
  const { store, coordinator: coordinatorOf, ...parquet } = deps
  const { runId, dt } = message
  const coordinator = coordinatorOf(runId)
  const manifest = await coordinator.manifest()
  if (!manifest) throw new PermanentError(`finalize for unknown run ${runId}`)
  // Already finalized (a redelivered message): the tables stand; only leftover staging may remain.
  if (manifest.finishedAt && CLOSED_RUN_STATUSES.has(manifest.status)) {
    await clearRunStaging({ store, dt, runId })
    return
  }
  const progress = await coordinator.progress()
  const expected: ExpectedCounts = {}
  for (const name of LAKE_TABLE_NAMES) {
    const counts = progress.staged.tables[name]
    if (counts) expected[name] = counts
  }
  const unitsComplete = Object.keys(progress.units).every((s) => COMPLETE_UNIT_STATUSES.has(s as UnitStatus))
  const runTables = { store, dt, runId, createdAt: manifest.createdAt, ...parquet }
  // Incomplete until the tables are written: a crash mid-compaction never looks like a complete run.
  await writeRunTables({ ...runTables, status: 'running', completeness: finalizing(), tables: {} })
  const result = await finalizeRun({
    store,
    dt,
    runId,
    expected,
    expectedItemsSeen: progress.staged.itemsSeen,
    unitsComplete,
    ...parquet,
  })
  // Another delivery of this finalize may have won the race meanwhile: its manifest stands.
  const latest = await coordinator.manifest()
  if (latest?.finishedAt) return
  if (result.discrepancies.length > 0) {
    console.error(`run ${runId}: reconciliation does not close: ${result.discrepancies.join('; ')}`)
  }
  const completeness = tableCompleteness({
    manifest: latest,
    reconciled: result.reconciliation.ok,
    rejects: result.rejects,
  })
  await writeRunTables({ ...runTables, status: result.status, completeness, tables: result.tables })
  const tables = Object.fromEntries(
    Object.entries(result.tables).map(([t, stats]) => [
      t,
      { ...stats, complete: completeness[t as LakeTableName].complete },
    ]),
  )
  const finalized = {
    status: result.status,
    tables,
    reconciliation: result.reconciliation,
    timings: result.timings,
    rejects: result.rejects,
  }
  await coordinator.finalized(finalized)
  await removeStaging({ store, keys: result.stagingKeys })
}

async function handleMessage(
  body: TransformQueueMessage,
  attempts: number,
  env: TransformerEnv,
  deps: ConsumerDeps,
) {
  const store = deps.store ?? lakeStoreFromEnv(env, { who: 'transformer' })
  const coordinator = deps.coordinator ?? ((runId: string) => runStub(env.RUN_COORDINATOR, runId))
  const full = { ...deps, store, coordinator }
  switch (body.kind) {
    case 'transform':
      return onTransform(body, attempts, env, full)
    case 'finalize':
      return onFinalize(body, full)
    case 'replay': {
      const { store: _, coordinator: __, ...parquet } = full
      const run = body.runId ? { runId: body.runId } : {}
      try {
        await replay({ store, dt: body.dt, ...run, force: body.force ?? false, ...parquet })
      } catch (error) {
        // An operator's request, refused for a reason retries cannot cure soon: say why, do not retry.
        if (!(error instanceof RunStillOpenError)) throw error
        console.error(`transform: replay of dt=${body.dt} refused: ${error.message}`)
      }
      return
    }
    case 'import': {
      const result = await onImport(body, store)
      if (result) console.log(`transform: import ${body.runId}: ${JSON.stringify(result.counts)}`)
    }
  }
}

/**
 * Messages are handled one by one (a 10,000-item playlist fills most of an invocation's memory
 * budget alone). Each is acked only after its writes are durable; any failure retries it with
 * backoff, and Queues moves it to the dead-letter queue after `max_retries`.
 */
export async function handleTransformBatch(
  batch: MessageBatch<unknown>,
  env: TransformerEnv,
  deps: ConsumerDeps = {},
): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) return onDeadLetter(batch, env, deps)
  for (const message of batch.messages) {
    const parsed = TransformQueueMessageSchema.safeParse(message.body)
    if (!parsed.success) {
      console.error(
        `transform: invalid message ${message.id}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      )
      message.retry({ delaySeconds: 0 })
      continue
    }
    let failure: unknown = null
    try {
      await handleMessage(parsed.data, message.attempts, env, deps)
    } catch (error) {
      failure = error
    }
    if (failure === null) {
      message.ack()
      continue
    }
    const permanent = failure instanceof PermanentError
    console.error(
      `transform: ${parsed.data.kind} failed (attempt ${message.attempts}): ${(failure as Error).message}`,
    )
    if (!permanent && (await failedRunWide(parsed.data, failure, env, deps))) {
      message.ack()
      continue
    }
    message.retry({ delaySeconds: permanent ? 0 : retryDelaySeconds(message.attempts) })
  }
}

/**
 * A run-wide cause in the failure table (S3 refusing this Worker's key, no such bucket) cannot pass by
 * retrying: the run is failed at once with the reason and what to do. Raw stays: `lake replay` rebuilds.
 */
async function failedRunWide(
  body: TransformQueueMessage,
  error: unknown,
  env: TransformerEnv,
  deps: ConsumerDeps,
): Promise<boolean> {
  const verdict = classifyFailure(error)
  if (verdict.kind !== 'permanent' || verdict.scope !== 'run' || !body.runId) return false
  const coordinator = deps.coordinator ?? ((runId: string) => runStub(env.RUN_COORDINATOR, runId))
  const { reason, message, action } = verdict
  const closed = await coordinator(body.runId)
    .close({ status: 'failed', failure: { reason, message: `transformer: ${message}`, action } })
    .then(
      () => true,
      () => false,
    )
  if (closed) console.error(`transform: run ${body.runId} failed at once: ${reason}: ${message}`)
  return closed
}
