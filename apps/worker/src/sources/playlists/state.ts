/** @module Per-playlist state across runs: the snapshot id of the last complete extraction. */
import type { LakeStore } from '@spotify-lake/lake-store'
import { type Dt, lakeKeys, type RunId } from '@spotify-lake/schemas'

export interface PlaylistState {
  snapshotId: string
  runId: RunId
  dt: Dt
  completedAt: string
}

const stateKey = (playlistId: string) => lakeKeys.state(`playlist-${playlistId}`)

/**
 * The snapshot an earlier run extracted completely, or null. A state written by this very run (a
 * re-delivered first part) does not count, or the run would call its own playlist unchanged.
 */
export async function lastSnapshot({
  store,
  playlistId,
  runId,
}: {
  store: LakeStore
  playlistId: string
  runId: RunId
}): Promise<string | null> {
  const state = await store.getJson<PlaylistState>(stateKey(playlistId))
  if (!state || state.runId === runId) return null
  return state.snapshotId
}

export async function rememberSnapshot({
  store,
  playlistId,
  snapshotId,
  runId,
  dt,
  now = new Date(),
}: {
  store: LakeStore
  playlistId: string
  snapshotId: string
  runId: RunId
  dt: Dt
  now?: Date
}): Promise<void> {
  const state: PlaylistState = { snapshotId, runId, dt, completedAt: now.toISOString() }
  await store.putJson(stateKey(playlistId), state)
}
