/** @module Starting a run (cron and POST /refresh): take the lock, open the manifest, enqueue one message per unit. */
import { globalStub, type PlannedUnit, runStub, unitKey } from '@spotify-lake/run-coordinator'
import {
  type Dt,
  type ExtractMessage,
  type ExtractUnit,
  newRunId,
  type RunId,
  type RunManifest,
  toDt,
} from '@spotify-lake/schemas'
import type { Sources } from '../config.ts'
import { enqueueUnits, maybeFinalize } from './queues.ts'

export interface StartRunOptions {
  env: Env
  sources: Sources
  trigger: RunManifest['trigger']
  force?: boolean
  dt?: Dt
  now?: Date
}

export type StartRunResult =
  | { started: true; runId: RunId; dt: Dt; units: PlannedUnit[] }
  | { started: false; activeRunId: RunId; since: string }

/** The first units of a run: the user's playlist list and each configured playlist. */
export function planSources(sources: Sources): ExtractUnit[] {
  const units: ExtractUnit[] = []
  if (sources.myPlaylists) units.push({ type: 'my-playlists' })
  for (const playlistId of new Set(sources.playlists))
    units.push({ type: 'playlist', playlistId, offset: 0, part: 0 })
  return units
}

export async function startRun({
  env,
  sources,
  trigger,
  force = false,
  now = new Date(),
  dt = toDt(now),
}: StartRunOptions): Promise<StartRunResult> {
  const runId = newRunId({ now })
  const lock = await globalStub(env.RUN_COORDINATOR).acquire({ runId, force })
  if (!lock.acquired) return { started: false, activeRunId: lock.activeRunId, since: lock.since }

  const run = runStub(env.RUN_COORDINATOR, runId)
  await run.begin({ runId, dt, trigger, force })
  const planned = planSources(sources).map((unit) => ({ key: unitKey(unit), unit }))
  // Registered before they are sent: a run is never "complete" while a planned unit is in flight.
  const units = await run.planUnits(planned)
  const message = (unit: ExtractUnit): ExtractMessage => ({ v: 1, kind: 'extract', runId, dt, force, unit })
  await enqueueUnits(
    env,
    units.map((u) => message(u.unit)),
  )
  // A run with nothing to extract is complete at once.
  await maybeFinalize(env, { runId, dt, claimant: 'start' })
  return { started: true, runId, dt, units }
}
