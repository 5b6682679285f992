/** @module The dead-letter queue's consumer: a transform that never succeeded becomes a visible reject, so its run can close as `partial`. */

import { type LakeStore, lakeStoreFromEnv } from '@spotify-lake/lake-store'
import { runStub } from '@spotify-lake/run-coordinator'
import {
  LAKE_TABLE_NAMES,
  lakeKeys,
  rejectTableOfFolder,
  type TransformMessage,
  TransformQueueMessageSchema,
} from '@spotify-lake/schemas'
import { encodeRejects, partOfRawKey } from '../load/stage.ts'
import type { RejectRecord } from '../normalize/rejects.ts'
import type { ConsumerDeps, TransformerEnv } from './config.ts'
import { type RunCoordinatorClient, reportTransformed } from './coordinator.ts'

/** `spotify-lake-transform-dlq` (and any `*-dlq` bound to this consumer) holds dead letters. */
export function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith('-dlq')
}

/**
 * The raw object stays in `raw/` (replay rebuilds it once the cause is fixed). Its staging part is
 * replaced by one `dead_lettered` reject standing for the whole object, and the coordinator gets
 * that count, so the run finalizes with the loss in its manifest instead of waiting forever.
 */
async function deadLetterTransform({
  message,
  store,
  coordinator,
  queue,
}: {
  message: TransformMessage
  store: LakeStore
  coordinator: RunCoordinatorClient
  queue: Queue
}) {
  const { runId, dt, source, rawKey } = message
  const part = partOfRawKey(rawKey)
  // A partial earlier attempt may have staged rows for this part: they must not count twice.
  await store.deleteMany(
    LAKE_TABLE_NAMES.flatMap((table) => [
      lakeKeys.staging({ table, dt, runId, part }),
      lakeKeys.stagingRejected({ table, dt, runId, part }),
    ]),
  )
  const table = rejectTableOfFolder(source)
  const reject: RejectRecord = {
    table,
    reason: 'dead_lettered',
    detail: 'the transform message exhausted its retries; replay the run once the cause is fixed',
    source: rawKey,
    path: '$',
    runId,
    record: { rawKey },
  }
  await store.put(lakeKeys.stagingRejected({ table, dt, runId, part }), await encodeRejects([reject]), {
    contentType: 'application/gzip',
  })
  const tables = Object.fromEntries(
    LAKE_TABLE_NAMES.map((t) => [t, { rows: 0, rejected: t === table ? 1 : 0 }]),
  ) as Parameters<typeof reportTransformed>[0]['summary']['tables']
  await reportTransformed({
    coordinator,
    rawKey,
    summary: { tables, rejects: { dead_lettered: 1 }, itemsSeen: 1 },
    runId,
    dt,
    // Always "a redelivery": a DLQ copy may follow a claim whose send failed.
    attempts: 2,
    queue,
  })
}

export async function onDeadLetter(
  batch: MessageBatch<unknown>,
  env: TransformerEnv,
  deps: ConsumerDeps,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = TransformQueueMessageSchema.safeParse(message.body)
    if (!parsed.success || parsed.data.kind !== 'transform') {
      // Nothing to record against a run: log it whole (queue messages carry no secrets) and let it go.
      console.error(`transform DLQ: dropping ${JSON.stringify(message.body)}`)
      message.ack()
      continue
    }
    let failure: unknown = null
    try {
      await deadLetterTransform({
        message: parsed.data,
        store: deps.store ?? lakeStoreFromEnv(env, { who: 'transformer' }),
        coordinator: (deps.coordinator ?? ((runId: string) => runStub(env.RUN_COORDINATOR, runId)))(
          parsed.data.runId,
        ),
        queue: env.TRANSFORM,
      })
    } catch (error) {
      failure = error
    }
    if (failure === null) message.ack()
    else {
      console.error(`transform DLQ: recording ${parsed.data.rawKey} failed: ${(failure as Error).message}`)
      message.retry({ delaySeconds: 30 })
    }
  }
}
