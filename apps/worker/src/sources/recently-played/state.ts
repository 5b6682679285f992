/**
 * @module Per-account state of the recently_played source: the `after` cursor, the `played_at` (Unix ms)
 * of the newest play already kept in raw, at `state/recently-played-<account>.json` (`lakeKeys.state`,
 * beside the playlists' snapshot state).
 */
import type { LakeStore } from '@spotify-lake/lake-store'
import { accountKey, type Dt, lakeKeys, type RunId } from '@spotify-lake/schemas'

export interface PlaysCursorState {
  /** `played_at` of the newest play in raw, Unix ms: the next poll's `after`. */
  after: number
  runId: RunId
  dt: Dt
  updatedAt: string
}

const stateKey = (accountId: string) => lakeKeys.state(`recently-played-${accountKey(accountId)}`)

/** The account's cursor (Unix ms), or null before its first poll. */
export async function playsCursor({
  store,
  accountId,
}: {
  store: LakeStore
  accountId: string
}): Promise<number | null> {
  const state = await store.getJson<PlaysCursorState>(stateKey(accountId))
  return state ? state.after : null
}

/**
 * Moves the cursor to `after`, never back: a redelivered older poll must not make the next one fetch
 * (and count as new) plays the lake already has. Written only once the poll's raw object is stored.
 */
export async function rememberPlaysCursor({
  store,
  accountId,
  after,
  runId,
  dt,
  now = new Date(),
}: {
  store: LakeStore
  accountId: string
  after: number
  runId: RunId
  dt: Dt
  now?: Date
}): Promise<void> {
  const current = await playsCursor({ store, accountId })
  if (current !== null && current >= after) return
  const state: PlaysCursorState = { after, runId, dt, updatedAt: now.toISOString() }
  await store.putJson(stateKey(accountId), state)
}
