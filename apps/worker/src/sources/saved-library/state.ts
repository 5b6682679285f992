/**
 * @module Per-account state of the saved-library sources: the holdings the lake has (item id -> its
 * `added_at`) and when the last full listing was, at `state/saved-tracks-<account>.json` (and
 * `saved-albums-`; `lakeKeys.state`, beside the plays cursor). Written only once the unit's raw object
 * is stored, so the state never claims a holding the lake lacks.
 */
import type { LakeStore } from '@spotify-lake/lake-store'
import { accountKey, type Dt, lakeKeys, type RunId, type SavedLibraryUnit } from '@spotify-lake/schemas'

export type SavedLibraryType = SavedLibraryUnit['type']

export interface SavedLibraryState {
  /** Every holding the lake has: item id -> `added_at` as Spotify sent it (ISO 8601). */
  held: Record<string, string>
  /** When the last full listing (which finds removals) began, ISO 8601. */
  lastFullAt: string
  runId: RunId
  dt: Dt
  updatedAt: string
}

const stateKey = (type: SavedLibraryType, accountId: string) =>
  lakeKeys.state(`${type}-${accountKey(accountId)}`)

/** The account's holdings of that kind, or null before its first listing. */
export async function savedLibraryState({
  store,
  type,
  accountId,
}: {
  store: LakeStore
  type: SavedLibraryType
  accountId: string
}): Promise<SavedLibraryState | null> {
  return store.getJson<SavedLibraryState>(stateKey(type, accountId))
}

export async function rememberSavedLibrary({
  store,
  type,
  accountId,
  held,
  lastFullAt,
  runId,
  dt,
  now = new Date(),
}: {
  store: LakeStore
  type: SavedLibraryType
  accountId: string
  held: Record<string, string>
  lastFullAt: string
  runId: RunId
  dt: Dt
  now?: Date
}): Promise<void> {
  const state: SavedLibraryState = { held, lastFullAt, runId, dt, updatedAt: now.toISOString() }
  await store.putJson(stateKey(type, accountId), state)
}
