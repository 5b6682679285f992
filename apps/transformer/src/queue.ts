/** @module The TRANSFORM queue consumer: transform -> stage, finalize -> compact + manifest, replay -> rebuild. */
import { type LakeStore, S3Error } from '@spotify-lake/lake-store'
import {
  COMPLETE_UNIT_STATUSES,
  type FinalizeMessage,
  LAKE_TABLE_NAMES,
  type TransformMessage,
  type TransformQueueMessage,
  TransformQueueMessageSchema,
  type UnitStatus,
} from '@spotify-lake/schemas'
import { storeFromEnv, type TransformerConfigEnv } from './config.ts'
import { coordinatorFor, type RunCoordinatorClient, reportTransformed } from './coordinator.ts'
import { isDeadLetterQueue, onDeadLetter } from './dead-letter.ts'
import { type ExpectedCounts, type FinalizeResult, finalizeRun, removeStaging } from './finalize.ts'
import type { ParquetOptions } from './parquet.ts'
import { replay } from './replay.ts'
import { clearRunStaging, partOfRawKey, stageOutput } from './stage.ts'
import { transformRaw } from './transform-raw.ts'

export interface TransformerEnv extends TransformerConfigEnv {
  RUN_COORDINATOR: DurableObjectNamespace
  TRANSFORM: Queue
}

/** A failure that no retry can fix; it still goes through retries so it ends in the DLQ, inspectable. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError'
}

export interface ConsumerDeps extends ParquetOptions {
  store?: LakeStore
  coordinator?: (runId: string) => RunCoordinatorClient
}

/**
 * A failure no retry can fix: our own `PermanentError`, or an S3 error that is not transient (403
 * AccessDenied, 400, NoSuchBucket: what a missing grant or a wrong bucket answers).
 */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PermanentError || (error instanceof S3Error && !error.transient)
}

/** Exponential backoff per attempt, capped at 15 minutes (Queues allow up to 12 h). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(15 * 2 ** Math.max(0, attempts - 1), 900)
}

const TERMINAL_RUN = new Set(['succeeded', 'partial', 'failed'])

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
  await reportTransformed({
    coordinator: coordinatorOf(runId),
    rawKey,
    summary,
    runId,
    dt,
    attempts,
    queue: env.TRANSFORM,
  })
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
  if (manifest.finishedAt && TERMINAL_RUN.has(manifest.status)) {
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
  let result: FinalizeResult
  try {
    result = await finalizeRun({
      store,
      dt,
      runId,
      expected,
      expectedItemsSeen: progress.staged.itemsSeen,
      unitsComplete,
      ...parquet,
    })
  } catch (error) {
    if (!isPermanentFailure(error)) throw error
    // Every retry would fail the same way (a prefix the transformer may not write, say): close the run as
    // failed now, with the reason in its manifest, and free the run lock. Raw and staging stay, so the
    // run can be replayed once the cause is fixed.
    const reason = `finalize failed: ${(error as Error).name}: ${(error as Error).message}`.slice(0, 1000)
    console.error(`run ${runId}: ${reason}`)
    if ((await coordinator.manifest())?.finishedAt) return
    await coordinator.finalized({
      status: 'failed',
      tables: {},
      reconciliation: { itemsSeen: progress.staged.itemsSeen, rowsWritten: 0, rowsRejected: 0, ok: false },
      error: reason,
    })
    return
  }
  // Another delivery of this finalize may have won the race meanwhile: its manifest stands.
  if ((await coordinator.manifest())?.finishedAt) return
  if (result.discrepancies.length > 0) {
    console.error(`run ${runId}: reconciliation does not close: ${result.discrepancies.join('; ')}`)
  }
  const finalized = {
    status: result.status,
    tables: result.tables,
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
  const store = deps.store ?? storeFromEnv(env)
  const coordinator = deps.coordinator ?? ((runId: string) => coordinatorFor(env.RUN_COORDINATOR, runId))
  const full = { ...deps, store, coordinator }
  switch (body.kind) {
    case 'transform':
      return onTransform(body, attempts, env, full)
    case 'finalize':
      return onFinalize(body, full)
    case 'replay': {
      const { store: _, coordinator: __, ...parquet } = full
      await replay({ store, dt: body.dt, ...(body.runId ? { runId: body.runId } : {}), ...parquet })
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
    const permanent = isPermanentFailure(failure)
    console.error(
      `transform: ${parsed.data.kind} failed (attempt ${message.attempts}): ${(failure as Error).message}`,
    )
    message.retry({ delaySeconds: permanent ? 0 : retryDelaySeconds(message.attempts) })
  }
}
