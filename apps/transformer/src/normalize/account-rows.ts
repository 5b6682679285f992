/**
 * @module An account's playlist listing (`GET /me/playlists`) to `account_playlists` rows: the link between
 * the account and each playlist it owns, collaborates on or follows (pure, no I/O). The playlist itself is
 * an entity of `playlists`, whoever lists it.
 */
import {
  type AccountPlaylistRecord,
  AccountPlaylistRecordSchema,
  type AccountPlaylistRowInput,
  describeIssue,
} from '@spotify-lake/schemas'
import { z } from 'zod'
import type { Collector } from './collector.ts'
import type { Lineage } from './rows.ts'

/** Whose listing it is: the envelope's `my-playlists` unit says. */
export interface ListingAccount {
  accountId: string
  userId: string
}

const ListingPageSchema = z.looseObject({
  items: z.array(z.unknown()),
  offset: z.int().nonnegative().optional(),
})

export function toAccountPlaylistRow(
  playlist: AccountPlaylistRecord,
  { account, position, from }: { account: ListingAccount; position: number; from: Lineage },
): AccountPlaylistRowInput {
  const total = (playlist.items ?? playlist.tracks)?.total
  const ownerId = playlist.owner?.id ?? null
  return {
    account_id: account.accountId,
    user_id: account.userId,
    playlist_id: playlist.id,
    position,
    owner_id: ownerId,
    is_owner: ownerId === null ? null : ownerId === account.userId,
    collaborative: playlist.collaborative ?? null,
    public: playlist.public ?? null,
    snapshot_id: playlist.snapshot_id ?? null,
    items_total: total ?? null,
    _run_id: from.runId,
    _extracted_at: from.extractedAt,
  }
}

/**
 * One listing page: a row per listed playlist at its position, a reject (`invalid_payload`) for an entry
 * off its record schema (`AccountPlaylistRecordSchema`: a wrong type, no id). A `null` entry (Spotify lists some unavailable playlists so) is no record.
 */
export function collectAccountPlaylists(
  body: unknown,
  {
    collector,
    account,
    from,
    source,
    path,
  }: { collector: Collector; account: ListingAccount; from: Lineage; source: string; path: string },
): void {
  const page = ListingPageSchema.safeParse(body)
  if (!page.success) {
    collector.reject(
      'account_playlists',
      'invalid_payload',
      `playlist listing: ${describeIssue(page.error, body)}`,
      {
        source,
        path,
        record: body,
      },
    )
    return
  }
  const { items, offset = 0 } = page.data
  items.forEach((entry, i) => {
    if (entry === null) return
    const at = `${path}.items[${i}]`
    const playlist = AccountPlaylistRecordSchema.safeParse(entry)
    if (!playlist.success) {
      collector.reject('account_playlists', 'invalid_payload', describeIssue(playlist.error, entry), {
        source,
        path: at,
        record: entry,
      })
      return
    }
    const row = toAccountPlaylistRow(playlist.data, { account, position: offset + i, from })
    collector.accept('account_playlists', row, { source, path: at })
  })
}
