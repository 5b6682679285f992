/** @module Producing queue messages: extraction units, transform requests and the run's finalize. */
import { runStub } from '@spotify-lake/run-coordinator'
import type {
  Dt,
  ExtractMessage,
  FinalizeMessage,
  RawSource,
  RunId,
  TransformMessage,
} from '@spotify-lake/schemas'

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
  { runId, dt, source, rawKey }: { runId: RunId; dt: Dt; source: RawSource; rawKey: string },
): Promise<void> {
  const body: TransformMessage = { v: 1, kind: 'transform', runId, dt, source, rawKey }
  await env.TRANSFORM_QUEUE.send(body)
}

/**
 * Called after every unit settles. When the last unit that could find catalog ids has settled, the
 * ids still waiting for a full batch go out as the run's last album/artist batches. Otherwise asks
 * the coordinator whether the run is complete; the one caller that gets `true` sends the `finalize`
 * message (the transformer compacts and closes the manifest).
 */
export async function maybeFinalize(
  env: Pick<Env, 'TRANSFORM_QUEUE' | 'RUN_COORDINATOR' | 'EXTRACT_QUEUE'>,
  { runId, dt, claimant }: { runId: RunId; dt: Dt; claimant: string },
): Promise<boolean> {
  const run = runStub(env.RUN_COORDINATOR, runId)
  const lastBatches = await run.flushCatalog(claimant)
  if (lastBatches.length > 0) {
    // Catalog units fetch the ids they carry whatever `force` says.
    await enqueueUnits(
      env,
      lastBatches.map(({ unit }) => ({ v: 1, kind: 'extract', runId, dt, force: false, unit })),
    )
    return false
  }
  if (!(await run.claimFinalize(claimant))) return false
  const body: FinalizeMessage = { v: 1, kind: 'finalize', runId, dt }
  await env.TRANSFORM_QUEUE.send(body)
  return true
}
