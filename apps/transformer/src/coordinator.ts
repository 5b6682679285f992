/** @module The thin layer to the run's `RunCoordinator` Durable Object (hosted by spotify-lake-worker). */
import type { RunCoordinatorRpc } from '@spotify-lake/run-coordinator'
import type { Dt, FinalizeMessage, RunId } from '@spotify-lake/schemas'
import type { StageSummary } from './stage.ts'

/** The part of the coordinator's RPC surface the transformer uses. */
export type RunCoordinatorClient = Pick<
  RunCoordinatorRpc,
  'rawTransformed' | 'claimFinalize' | 'finalized' | 'manifest' | 'progress' | 'close' | 'liveness'
>

/**
 * Reports what one raw object added, then asks whether the run is complete; the one caller that
 * gets `true` enqueues the run's `finalize`. A redelivered message (attempts > 1) may follow a claim
 * whose `send` failed, so it re-sends while the run is unfinished (finalize is idempotent).
 */
export async function reportTransformed({
  coordinator,
  rawKey,
  summary,
  runId,
  dt,
  attempts,
  queue,
}: {
  coordinator: RunCoordinatorClient
  rawKey: string
  summary: Omit<StageSummary, 'bytes'>
  runId: RunId
  dt: Dt
  attempts: number
  queue: Queue
}): Promise<void> {
  await coordinator.rawTransformed({
    rawKey,
    tables: summary.tables,
    rejects: summary.rejects,
    itemsSeen: summary.itemsSeen,
  })
  let finalize = await coordinator.claimFinalize()
  if (!finalize && attempts > 1) {
    const [progress, manifest] = await Promise.all([coordinator.progress(), coordinator.manifest()])
    finalize = progress.finalizeClaimed && !manifest?.finishedAt
  }
  if (finalize) await queue.send({ v: 1, kind: 'finalize', runId, dt } satisfies FinalizeMessage)
}
