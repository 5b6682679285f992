/**
 * @module The saved-library sources' extraction: one account's saved tracks or albums, newest
 * `added_at` first. An incremental check pages only until an item the lake already holds (one call
 * when nothing changed); a full listing (when due, forced, first, or when the library's `total` says
 * something was removed) pages everything and finds the holdings that are gone. No S3 or queues here.
 */
import type { SavedItemRemoval, SavedLibraryUnit } from '@spotify-lake/schemas'
import type { SpotifyExchange } from '@spotify-lake/spotify-client'
import { emptyReferencedIds, type ReferencedIds } from '../playlists/referenced-ids.ts'
import type { ExtractContext, UnitOutcome } from '../types.ts'

/** Where each kind's page holds the saved object. */
const ITEM_KEYS = {
  'saved-tracks': 'track',
  'saved-albums': 'album',
  'saved-shows': 'show',
  'saved-episodes': 'episode',
} as const

/** The pages of one kind's endpoint, as the library's bookkeeping reads them. */
function listing(
  client: ExtractContext['client'],
  type: SavedLibraryUnit['type'],
): AsyncGenerator<{ raw: SpotifyExchange; data: { items: unknown[]; total: number } }> {
  switch (type) {
    case 'saved-tracks':
      return client.savedTracks()
    case 'saved-albums':
      return client.savedAlbums()
    case 'saved-shows':
      return client.savedShows()
    case 'saved-episodes':
      return client.savedEpisodes()
  }
}

/** An item of a page as far as the library's bookkeeping reads it. */
interface SeenItem {
  id: string
  addedAt: string
  /** The track or album object, for the ids it refers to. */
  object: Record<string, unknown>
}

/** The newest `added_at` held (as Spotify spelled it) and the ids held with exactly that time. */
export function newestHeld(held: Readonly<Record<string, string>>): {
  after: string | null
  heldAtAfter: string[]
} {
  let after: string | null = null
  let newest = Number.NEGATIVE_INFINITY
  for (const addedAt of Object.values(held)) {
    const ms = Date.parse(addedAt)
    if (ms > newest) [newest, after] = [ms, addedAt]
  }
  const heldAtAfter = Object.entries(held)
    .filter(([, addedAt]) => Date.parse(addedAt) === newest)
    .map(([id]) => id)
    .sort()
  return { after, heldAtAfter }
}

/**
 * What a check saw, settled against what the lake held: the new holdings, the holdings gone (a
 * re-saved item's earlier holding ended by its new `added_at` at the latest; on a full listing, an
 * unlisted one by the listing's start), and the holdings the lake has afterwards.
 */
export function settleListing({
  held,
  seen,
  full,
  listedAt,
}: {
  held: Readonly<Record<string, string>>
  seen: readonly { id: string; addedAt: string }[]
  full: boolean
  listedAt: string
}): { fresh: string[]; removed: SavedItemRemoval[]; held: Record<string, string> } {
  const next: Record<string, string> = full ? {} : { ...held }
  const fresh: string[] = []
  const removed: SavedItemRemoval[] = []
  for (const { id, addedAt } of seen) {
    const before = held[id]
    if (before !== addedAt) {
      fresh.push(id)
      if (before !== undefined) removed.push({ id, added_at: before, removed_at: addedAt })
    }
    next[id] = addedAt
  }
  if (full) {
    for (const [id, addedAt] of Object.entries(held))
      if (!(id in next)) removed.push({ id, added_at: addedAt, removed_at: notBefore(listedAt, addedAt) })
  }
  return { fresh, removed, held: next }
}

/** `at`, or `floor` when `at` is earlier: a removal never precedes its save, whatever the clocks say. */
function notBefore(at: string, floor: string): string {
  return Date.parse(at) < Date.parse(floor) ? floor : at
}

function addReferenced(into: ReferencedIds, type: SavedLibraryUnit['type'], object: Record<string, unknown>) {
  const ids = (list: unknown) =>
    Array.isArray(list)
      ? list.flatMap((a) => (typeof a?.id === 'string' && a.id ? [a.id as string] : []))
      : []
  // Shows and episodes have no catalog tables.
  if (type === 'saved-shows' || type === 'saved-episodes') return
  if (type === 'saved-albums') {
    for (const id of ids(object.artists)) into.artists.add(id)
    return
  }
  const album = object.album as Record<string, unknown> | null | undefined
  if (typeof album?.id === 'string' && album.id) into.albums.add(album.id)
  for (const id of [...ids(object.artists), ...ids(album?.artists)]) into.artists.add(id)
}

export async function extractSavedLibrary(unit: SavedLibraryUnit, ctx: ExtractContext): Promise<UnitOutcome> {
  const { client, responses } = ctx
  const state = await ctx.savedLibrary(unit.type, unit.accountId)
  const now = ctx.now()
  const held = state?.held ?? {}
  const due =
    ctx.force || state === null || now.getTime() - Date.parse(state.lastFullAt) >= ctx.libraryFullListingMs
  let full = due
  const { after, heldAtAfter } = newestHeld(held)
  const afterMs = after === null ? null : Date.parse(after)
  const key = ITEM_KEYS[unit.type]
  const seen: SeenItem[] = []
  let unreadable = 0
  const pages = listing(client, unit.type)
  for await (const page of pages) {
    responses.push(page.raw)
    let reachedHeld = false
    for (const item of page.data.items as unknown[]) {
      const entry = item as Record<string, unknown> | null
      const object = entry?.[key] as Record<string, unknown> | null | undefined
      const addedAt = entry?.added_at
      // Kept in raw (the transformer rejects it with the reason); it holds nothing the state can name.
      if (
        typeof object?.id !== 'string' ||
        typeof addedAt !== 'string' ||
        !Number.isFinite(Date.parse(addedAt))
      ) {
        unreadable++
        continue
      }
      seen.push({ id: object.id, addedAt, object })
      if (held[object.id] === addedAt || (afterMs !== null && Date.parse(addedAt) < afterMs))
        reachedHeld = true
    }
    if (full || !reachedHeld) continue
    // Newest first: past a held item nothing is new. The library's size tells whether one was removed.
    const settled = settleListing({ held, seen, full: false, listedAt: now.toISOString() })
    if (page.data.total === Object.keys(settled.held).length) break
    full = true
  }
  const settled = settleListing({ held, seen, full, listedAt: now.toISOString() })
  const freshIds = new Set(settled.fresh)
  const referenced = emptyReferencedIds()
  const late: string[] = []
  for (const item of seen) {
    if (!freshIds.has(item.id)) continue
    addReferenced(referenced, unit.type, item.object)
    if (afterMs !== null && Date.parse(item.addedAt) < afterMs) late.push(item.id)
  }
  return {
    kind: 'extracted',
    unit: {
      type: unit.type,
      accountId: unit.accountId,
      listing: full ? 'full' : 'incremental',
      after,
      heldAtAfter,
      ...(late.length > 0 ? { late } : {}),
      ...(settled.removed.length > 0 ? { removed: settled.removed } : {}),
    },
    items: settled.fresh.length + settled.removed.length,
    referenced,
    ...(unreadable > 0 ? { unreadable } : {}),
    savedLibrary: {
      type: unit.type,
      accountId: unit.accountId,
      held: settled.held,
      lastFullAt: full ? now.toISOString() : (state?.lastFullAt ?? now.toISOString()),
    },
  }
}
