/** @module Producing queue messages: extraction units, transform requests and the run's finalize. */
import { advanceRun, runStub } from '@spotify-lake/run-coordinator'
import type { Dt, ExtractMessage, RawFolder, RunId, TransformMessage } from '@spotify-lake/schemas'

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100

export async function enqueueUnits(
  env: Pick<Env, 'EXTRACT_QUEUE'>,
  messages: readonly ExtractMessage[],
  { delaySeconds }: { delaySeconds?: number } = {},
): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    const batch = messages.slice(i, i + SEND_BATCH).map((body) => ({ body }))
    await env.EXTRACT_QUEUE.sendBatch(batch, delaySeconds ? { delaySeconds } : undefined)
  }
}

export async function enqueueTransform(
  env: Pick<Env, 'TRANSFORM_QUEUE'>,
  { runId, dt, source, rawKey }: { runId: RunId; dt: Dt; source: RawFolder; rawKey: string },
): Promise<void> {
  const body: TransformMessage = { v: 1, kind: 'transform', runId, dt, source, rawKey }
  await env.TRANSFORM_QUEUE.send(body)
}

/**
 * Called after every unit settles: plans the run's last catalog batches, or sends its finalize once it
 * is complete (`advanceRun`, shared with the transformer).
 */
export async function advanceAfterUnit(
  env: Pick<Env, 'TRANSFORM_QUEUE' | 'RUN_COORDINATOR' | 'EXTRACT_QUEUE'>,
  { runId, dt, claimant }: { runId: RunId; dt: Dt; claimant: string },
): Promise<boolean> {
  const advanced = await advanceRun({
    run: runStub(env.RUN_COORDINATOR, runId),
    runId,
    dt,
    claimant,
    transformQueue: env.TRANSFORM_QUEUE,
    extractQueue: env.EXTRACT_QUEUE,
  })
  return advanced === 'finalize-sent'
}
