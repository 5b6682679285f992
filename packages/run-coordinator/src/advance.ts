/**
 * @module Moving a run on after a report: the one place that plans its last catalog batches and sends
 * its `finalize` (the worker calls it after every settled unit, the transformer after every transformed
 * raw object). The coordinator decides; this sends what it decided.
 */
import type { Dt, ExtractMessage, FinalizeMessage, RunId } from '@spotify-lake/schemas'
import type { RunCoordinatorRpc } from './types.ts'

/** The part of the coordinator's RPC surface advancing a run needs. */
export type AdvanceCoordinator = Pick<RunCoordinatorRpc, 'claimFinalize' | 'progress' | 'manifest'> &
  Partial<Pick<RunCoordinatorRpc, 'flushCatalog'>>

/** What `advanceRun` did: sent the last catalog batches, sent the finalize, or nothing (the run goes on). */
export type Advance = 'catalog-flushed' | 'finalize-sent' | 'open'

/**
 * When the last unit that could find catalog ids has settled, the ids still waiting for a full batch
 * go out as the run's last batches (only a caller with the EXTRACT queue, the worker, can send them).
 * Otherwise asks the coordinator whether the run is complete; the one caller that gets `true` sends
 * the `finalize` message. A `claimant` (the caller's unit key or raw key) gets its claim back on its
 * own retry, so a send that failed is not lost; `resend` (a redelivered transform) re-sends while a
 * claimed run is unfinished, since finalize is idempotent.
 * @throws whatever the coordinator or the queue throws: the caller's message is retried.
 */
export async function advanceRun({
  run,
  runId,
  dt,
  claimant,
  transformQueue,
  extractQueue,
  resend = false,
}: {
  run: AdvanceCoordinator
  runId: RunId
  dt: Dt
  claimant?: string | undefined
  /** The TRANSFORM queue (a `Queue` binding). */
  transformQueue: { send(body: FinalizeMessage): Promise<unknown> }
  /** The EXTRACT queue (a `Queue` binding); only the worker has it. */
  extractQueue?: { sendBatch(messages: { body: ExtractMessage }[]): Promise<unknown> } | undefined
  resend?: boolean
}): Promise<Advance> {
  if (extractQueue && run.flushCatalog && claimant !== undefined) {
    const lastBatches = await run.flushCatalog(claimant)
    if (lastBatches.length > 0) {
      // Catalog units fetch the ids they carry whatever `force` says.
      const messages = lastBatches.map(
        ({ unit }): ExtractMessage => ({ v: 1, kind: 'extract', runId, dt, force: false, unit }),
      )
      for (let i = 0; i < messages.length; i += SEND_BATCH) {
        await extractQueue.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body })))
      }
      return 'catalog-flushed'
    }
  }
  let finalize = await run.claimFinalize(claimant)
  if (!finalize && resend) {
    const [progress, manifest] = await Promise.all([run.progress(), run.manifest()])
    finalize = progress.finalizeClaimed && !manifest?.finishedAt
  }
  if (!finalize) return 'open'
  await transformQueue.send({ v: 1, kind: 'finalize', runId, dt } satisfies FinalizeMessage)
  return 'finalize-sent'
}

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH = 100
