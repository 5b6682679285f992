/** @module The thin layer to the run's `RunCoordinator` Durable Object (hosted by spotify-lake-worker). */
import type { RunCoordinatorRpc } from '@spotify-lake/run-coordinator'
import { advanceRun } from '@spotify-lake/run-coordinator/advance'
import type { Dt, RunId } from '@spotify-lake/schemas'
import type { StageSummary } from '../load/stage.ts'

/** The part of the coordinator's RPC surface the transformer uses. */
export type RunCoordinatorClient = Pick<
  RunCoordinatorRpc,
  'rawTransformed' | 'claimFinalize' | 'finalized' | 'manifest' | 'progress' | 'close' | 'liveness'
>

/**
 * Reports what one raw object added, then moves the run on (`advanceRun`): the one caller the
 * coordinator finds completing the run sends its `finalize`. A redelivered message (attempts > 1)
 * may follow a claim whose `send` failed, so it re-sends while the run is unfinished.
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
  await advanceRun({ run: coordinator, runId, dt, transformQueue: queue, resend: attempts > 1 })
}
