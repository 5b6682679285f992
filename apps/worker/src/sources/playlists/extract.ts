/**
 * @module The playlists source's extraction: an account's playlist listing and one part of a playlist,
 * from Spotify; no queues, no S3 (those are the caller's).
 */
import type {
  ApiMode,
  MyPlaylistsUnit,
  PlaylistUnit,
  SimplifiedPlaylist,
  TolerantPlaylistItemsPage,
} from '@spotify-lake/schemas'
import { playlistItemsPage } from '@spotify-lake/schemas'
import type { SpotifyClient } from '@spotify-lake/spotify-client'
import { classifyError, type Failure } from '../../extract/classify-error.ts'
import type { ExtractContext, SkippedPlaylist, UnitOutcome } from '../types.ts'
import { addReferencedIds, emptyReferencedIds } from './referenced-ids.ts'

/**
 * The metadata call of an unchanged-snapshot check: the playlist without its items, plus the item
 * total (see `playlistMetadataFields`). Enough for a complete `playlists` row (name, owner, followers
 * and size over time), and no half list of items.
 */
export const PLAYLIST_METADATA_FIELDS =
  'id,name,type,uri,href,external_urls,collaborative,description,owner,public,snapshot_id,images,primary_color,followers'

/**
 * `PLAYLIST_METADATA_FIELDS` and the item total by dot path, under the mode's name of the playlist's
 * paging object (`items` in development mode since 2026, `tracks` in extended): `items_total` is a
 * required column, so an unchanged day still records the playlist's size.
 */
export function playlistMetadataFields(mode: ApiMode): string {
  return `${PLAYLIST_METADATA_FIELDS},${mode === 'development' ? 'items' : 'tracks'}.total`
}

/**
 * Lists one account's playlists. `/me/playlists` also lists playlists the user merely follows, and a
 * development-mode app may read items only of playlists the user owns or collaborates on (403
 * otherwise; Spotify's editorial ones are 404). So in development mode only those are planned (the
 * account's user id comes with the unit: no `GET /me`); the others are recorded as skipped without a call.
 */
export async function extractMyPlaylists(
  unit: MyPlaylistsUnit,
  { client, responses }: ExtractContext,
): Promise<UnitOutcome> {
  const listed: SimplifiedPlaylist[] = []
  for await (const page of client.myPlaylists()) {
    responses.push(page.raw)
    for (const playlist of page.data.items) if (playlist) listed.push(playlist)
  }
  const readable = await readablePlaylistFilter({ client, listed, userId: unit.userId })
  const playlistIds = new Set<string>()
  const skipped = new Map<string, SkippedPlaylist>()
  for (const playlist of listed) {
    const reason = readable(playlist)
    if (reason === null) playlistIds.add(playlist.id)
    else skipped.set(playlist.id, { playlistId: playlist.id, reason })
  }
  return {
    kind: 'extracted',
    unit,
    items: listed.length,
    playlistIds: [...playlistIds],
    skipped: [...skipped.values()],
  }
}

/** null when the app may read the playlist's items, else why not. Extended mode reads every listed playlist. */
async function readablePlaylistFilter({
  client,
  listed,
  userId,
}: {
  client: SpotifyClient
  listed: readonly SimplifiedPlaylist[]
  userId: string
}): Promise<(playlist: SimplifiedPlaylist) => string | null> {
  if (listed.length === 0 || (await client.detectMode()) !== 'development') return () => null
  return (playlist) =>
    playlist.owner.id === userId || playlist.collaborative
      ? null
      : `development mode: owned by ${playlist.owner.id}, not the user ${userId}, and not collaborative: its items are not readable with this account (Spotify answers 403, or 404 for its editorial playlists)`
}

/**
 * Part 0 checks the snapshot (one metadata call) when an earlier run completed this playlist, then
 * gets the playlist with its first page of items; every part pages on from its offset until the
 * budget is spent. The snapshot of part 0 travels with later parts so their rows agree.
 */
export async function extractPlaylist(unit: PlaylistUnit, ctx: ExtractContext): Promise<UnitOutcome> {
  const { client, responses } = ctx
  const id = unit.playlistId
  let budget = ctx.callBudget
  let snapshotId = unit.snapshotId
  let offset = unit.offset
  let more = true
  let items = 0
  let unreadable = 0
  /** Pages of items this message holds (the playlist with its first page counts as one). */
  let secured = 0
  const referenced = emptyReferencedIds()
  const take = (page: TolerantPlaylistItemsPage) => {
    secured++
    items += page.items.length
    // Entries off the schema: null here, kept as sent in raw, rejected with the reason by the transformer.
    unreadable += page.items.filter((entry) => entry === null).length
    addReferencedIds(referenced, page.items)
    offset = page.offset + page.items.length
    more = Boolean(page.next) && page.items.length > 0 && offset < page.total
  }
  const outcome = (interrupted?: Failure): UnitOutcome => {
    const recorded: PlaylistUnit = { ...unit, ...(snapshotId ? { snapshotId } : {}) }
    const result: UnitOutcome = {
      kind: 'extracted',
      unit: recorded,
      items,
      referenced,
      ...(unreadable > 0 ? { unreadable } : {}),
      ...(interrupted ? { interrupted } : {}),
    }
    if (more) {
      result.next = {
        type: 'playlist',
        playlistId: id,
        offset,
        part: unit.part + 1,
        // The same account reads the rest: its token is the one that may.
        ...(unit.accountId ? { accountId: unit.accountId } : {}),
        ...(snapshotId ? { snapshotId } : {}),
      }
    } else if (snapshotId) {
      result.completedSnapshot = { playlistId: id, snapshotId }
    }
    return result
  }

  // Pages already fetched are not fetched again: on a transient failure or a long 429 after some
  // pages, the part keeps them and hands the rest to the next part (permanent failures still throw).
  let interrupted: Failure | undefined
  try {
    if (unit.part === 0) {
      const previous = ctx.force ? null : await ctx.lastSnapshot(id)
      if (previous !== null) {
        const fields = playlistMetadataFields(await client.detectMode())
        const meta = await client.getPlaylist(id, { fields })
        responses.push(meta.raw)
        budget--
        const current = meta.data.snapshot_id
        if (current !== undefined && current === previous) {
          return { kind: 'unchanged', unit: { ...unit, snapshotId: current }, snapshotId: current }
        }
      }
      const playlist = await client.getPlaylist(id)
      responses.push(playlist.raw)
      budget--
      snapshotId = playlist.data.snapshot_id
      // Development mode leaves the first page out for playlists the user does not own: page from 0.
      const first = playlistItemsPage(playlist.data)
      if (first) take(first)
    }
    if (more && budget > 0) {
      for await (const page of client.playlistItems(id, { startOffset: offset })) {
        responses.push(page.raw)
        budget--
        take(page.data)
        if (!more || budget <= 0) break
      }
    }
  } catch (error) {
    const failure = classifyError(error)
    if (failure.kind === 'permanent' || secured === 0) throw error
    interrupted = failure
  }
  return outcome(interrupted)
}
