/** @module Follow-up units of an extracted unit: the next playlist part, listed playlists (or their skips), album/artist batches. */
import { type PlannedUnit, runStub, type UnitSkippedInput } from '@spotify-lake/run-coordinator'
import { type ExtractMessage, type ExtractUnit, unitKey } from '@spotify-lake/schemas'
import { enqueueUnits } from '../run/queues.ts'
import { catalogBatchSize } from '../sources/catalog/policy.ts'
import type { UnitOutcome } from '../sources/types.ts'
import { apiModeOf, type ExtractDeps } from './extract-deps.ts'

/** Registers follow-up units with the coordinator before sending them, so the run cannot look complete early. */
export async function planFollowUps({
  msg,
  key,
  outcome,
  deps,
  nextDelaySeconds,
}: {
  msg: ExtractMessage
  key: string
  outcome: Extract<UnitOutcome, { kind: 'extracted' }>
  deps: ExtractDeps
  /** The next part of an interrupted playlist waits this long (backoff, or until a rate limit lifts). */
  nextDelaySeconds?: number
}): Promise<void> {
  const run = runStub(deps.env.RUN_COORDINATOR, msg.runId)
  const planned: PlannedUnit[] = []
  const plain = (units: ExtractUnit[]) => units.map((unit) => ({ key: unitKey(unit), unit }))
  const fresh: ExtractUnit[] = []
  if (outcome.next) fresh.push(outcome.next)
  const skipReasons = new Map((outcome.skipped ?? []).map((s) => [s.playlistId, s.reason]))
  // The listing's account reads its playlists (a playlist two accounts list runs once, with either's token).
  const account = msg.unit.type === 'my-playlists' ? msg.unit.accountId : undefined
  for (const playlistId of [...(outcome.playlistIds ?? []), ...skipReasons.keys()])
    fresh.push({
      type: 'playlist',
      playlistId,
      offset: 0,
      part: 0,
      ...(account ? { accountId: account } : {}),
    })
  // Per parent: only units nobody planned yet (a playlist both configured and in "my playlists" runs once).
  // A configured playlist is planned at the start, so it is never skipped here: its 403/404 stays visible.
  if (fresh.length > 0) {
    const skipped: UnitSkippedInput[] = []
    for (const p of await run.planUnits(plain(fresh), key)) {
      const reason =
        p.unit.type === 'playlist' && p.unit.part === 0 ? skipReasons.get(p.unit.playlistId) : undefined
      if (reason === undefined) planned.push(p)
      else skipped.push({ key: p.key, reason, account })
    }
    // Planned (so the manifest lists them) and settled at once, before this parent can settle: no early finalize.
    if (skipped.length > 0) await run.unitsSkipped(skipped)
  }

  if (outcome.referenced) {
    const mode = apiModeOf(deps.client, deps.config)
    // The coordinator skips ids the catalog ledger holds fresh and keeps the run within its call budget.
    const callsPer = mode === 'extended' ? 'batch' : 'id'
    for (const kind of ['albums', 'artists'] as const) {
      const ids = [...outcome.referenced[kind]]
      if (ids.length === 0) continue
      const batchSize = catalogBatchSize(kind, mode, deps.config)
      planned.push(...(await run.planCatalog({ parentKey: key, kind, ids, batchSize, callsPer })))
    }
  }
  const message = (unit: ExtractUnit): ExtractMessage => ({
    v: 1,
    kind: 'extract',
    runId: msg.runId,
    dt: msg.dt,
    force: msg.force,
    unit,
  })
  const nextKey = outcome.next ? unitKey(outcome.next) : undefined
  const later = planned.filter((p) => nextDelaySeconds && p.key === nextKey)
  await enqueueUnits(
    deps.env,
    planned.filter((p) => !later.includes(p)).map((p) => message(p.unit)),
  )
  if (later.length > 0) {
    await enqueueUnits(
      deps.env,
      later.map((p) => message(p.unit)),
      { delaySeconds: nextDelaySeconds },
    )
  }
}
