/** @module Normalizers: one parsed Spotify response in, rows and rejects into the collector (pure, no I/O). */
import {
  describeIssue,
  isPlaceholderAddedAt,
  playlistContentKindOf,
  type SavedItemRemoval,
  type TopTrackRecord,
  type TrackRecord,
} from '@spotify-lake/schemas'
import { z } from 'zod'
import { collectAccountPlaylists, type ListingAccount } from './account-rows.ts'
import { playlistIdOfHref, type ResponseKind } from './classify.ts'
import type { Collector, RecordOrigin } from './collector.ts'
import {
  type ItemContent,
  type Lineage,
  toAlbumRow,
  toArtistRow,
  toFollowedArtistRow,
  toPlaylistItemRow,
  toPlaylistRow,
  toPlayRow,
  toTopArtistRow,
  toTopTrackRow,
  toTrackRow,
} from './rows.ts'
import {
  isNewHolding,
  SAVED_TABLES,
  type SavedContext,
  toRemovedRow,
  toSavedAlbumRow,
  toSavedEpisodeRow,
  toSavedShowRow,
  toSavedTrackRow,
} from './saved-rows.ts'
import { check, RECORDS, Rejected, type Validation } from './validate.ts'

/** What a response needs besides its body; `playlist` is shared by the responses of one raw object. */
export interface ResponseContext {
  collector: Collector
  validation: Validation
  from: Lineage
  /** Raw object key (or offline file name). */
  source: string
  /** `responses[3]`, the prefix of every reject path. */
  path: string
  playlist: { id: string | null; snapshotId: string | null }
  /** Ids a batch request asked for (`ids=` param), to name what a null slot stood for. */
  requestedIds?: readonly string[]
  /** Whose playlist listing this is (a `my-playlists` unit): its pages become `account_playlists` rows. */
  account?: ListingAccount | null
  /** Whose plays these are (a `recently-played` unit): its pages become `plays` rows. */
  playsAccountId?: string | null
  /** Whose snapshot this is (a `top-items` or `followed-artists` unit): its items become rows of the user tables. */
  snapshotAccountId?: string | null
  /** The time range of a top list (a `top-items` unit's request). */
  timeRange?: string | null
  /** Whose saved library this is and what the lake held before (a saved-library unit). */
  saved?: SavedContext | null
}

const batchSchemas = {
  'several-tracks': z.looseObject({ tracks: z.array(z.unknown()) }),
  'several-albums': z.looseObject({ albums: z.array(z.unknown()) }),
  'several-artists': z.looseObject({ artists: z.array(z.unknown()) }),
}

/**
 * Where the record being read sits: the response's path, then the steps below it (`.items`, `[12]`,
 * `.item`, ...), kept as parts and joined only when read (a reject, or a row checked by zod): most
 * records never need theirs, and a string built per record cost about a tenth of normalising.
 * Steps are pushed before reading a nested record and popped after.
 */
class Trail {
  readonly steps: (string | number)[] = []
  /** The origin `accept` takes, its path read off the trail when (if ever) it is read. */
  readonly origin: RecordOrigin
  constructor(
    readonly base: string,
    source: string,
  ) {
    const trail = this
    this.origin = {
      source,
      get path() {
        return trail.toString()
      },
    }
  }
  toString(): string {
    let path = this.base
    for (const step of this.steps) path += typeof step === 'number' ? `[${step}]` : step
    return path
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An artist (full, or inside a track or album): its own record, so a bad one costs only itself. */
function collectArtist(value: unknown, ctx: ResponseContext, at: Trail) {
  const { collector, source } = ctx
  const artist = check(ctx.validation, RECORDS.artist, value)
  if (artist instanceof Rejected) {
    collector.reject('artists', 'invalid_payload', artist.detail, { source, path: `${at}`, record: value })
    return
  }
  collector.accept('artists', toArtistRow(artist, ctx.from), at.origin)
}

function collectArtists(list: unknown, ctx: ResponseContext, at: Trail) {
  if (!Array.isArray(list)) return
  const { steps } = at
  steps.push('.artists', 0)
  for (let i = 0; i < list.length; i++) {
    steps[steps.length - 1] = i
    collectArtist(list[i], ctx, at)
  }
  steps.length -= 2
}

/** An album and its artists. */
function collectAlbum(value: unknown, ctx: ResponseContext, at: Trail) {
  const { collector, source } = ctx
  const album = check(ctx.validation, RECORDS.album, value)
  if (album instanceof Rejected) {
    collector.reject('albums', 'invalid_payload', album.detail, { source, path: `${at}`, record: value })
  } else {
    collector.accept('albums', toAlbumRow(album, ctx.from), at.origin)
  }
  if (isObject(value)) collectArtists(value.artists, ctx, at)
}

/**
 * A catalog track and everything embedded in it: its album and the artists of both. `checked` is the
 * track's check when the caller already made it (a playlist entry checks its track first).
 */
function collectTrack(
  value: unknown,
  ctx: ResponseContext,
  at: Trail,
  checked: TrackRecord | Rejected = check(ctx.validation, RECORDS.track, value),
) {
  const { collector, source } = ctx
  if (checked instanceof Rejected) {
    collector.reject('tracks', 'invalid_payload', checked.detail, { source, path: `${at}`, record: value })
  } else {
    collector.accept('tracks', toTrackRow(checked, ctx.from), at.origin)
  }
  if (!isObject(value)) return
  if (value.album !== undefined && value.album !== null) {
    at.steps.push('.album')
    collectAlbum(value.album, ctx, at)
    at.steps.pop()
  }
  collectArtists(value.artists, ctx, at)
}

/**
 * The content of a playlist entry whose head passed, checked for its kind: the item, or a `Rejected`.
 * A catalog track that passed the `tracks` record check passes the narrower item check too.
 */
function itemContent(
  content: unknown,
  kind: ItemContent['kind'] | null,
  ctx: ResponseContext,
  key: string,
  track: TrackRecord | Rejected | null,
): ItemContent | Rejected {
  if (content === null || content === undefined || kind === null)
    return { kind: 'unavailable', content: null }
  if (kind === 'track' && track !== null && !(track instanceof Rejected)) return { kind, content: track }
  const record =
    kind === 'track' ? RECORDS.trackContent : kind === 'local' ? RECORDS.localContent : RECORDS.episodeContent
  const checked = check(ctx.validation, record as typeof RECORDS.trackContent, content, [key])
  if (checked instanceof Rejected) return checked
  return { kind, content: checked } as ItemContent
}

function rejectEntry(entry: unknown, ctx: ResponseContext, at: Trail, detail: string) {
  ctx.collector.reject('playlist_items', 'invalid_payload', detail, {
    source: ctx.source,
    path: `${at}`,
    record: entry,
  })
}

/**
 * One playlist entry: a `playlist_items` row or reject. Content that is null (a track Spotify removed)
 * or absent (neither `item` nor `track` sent) is an `unavailable` row: the position exists, what sits
 * there is unknown. A catalog track inside is a record of its own (with its album and artists),
 * collected whatever became of the entry: a bad entry date costs the entry, not its track.
 */
function collectEntry(entry: unknown, ctx: ResponseContext, at: Trail, position: number, playlistId: string) {
  const { collector } = ctx
  const checked = check(ctx.validation, RECORDS.entry, entry)
  if (!isObject(entry)) {
    rejectEntry(entry, ctx, at, checked instanceof Rejected ? checked.detail : 'not an object')
    return
  }
  // 2026 responses name the content `item`, legacy ones `track`; some send both, holding the same object.
  const key =
    entry.item !== undefined && entry.item !== null ? 'item' : entry.track !== undefined ? 'track' : null
  const content = key === null ? null : entry[key]
  const head = content === null ? null : check(ctx.validation, RECORDS.contentHead, content, [key ?? 'item'])
  const kind = head === null || head instanceof Rejected ? null : playlistContentKindOf(head)
  // A catalog track is a `tracks` record too; its check serves the entry's row and the track's.
  const track = kind === 'track' ? check(ctx.validation, RECORDS.track, content) : null
  if (checked instanceof Rejected) {
    rejectEntry(entry, ctx, at, checked.detail)
  } else if (head instanceof Rejected) {
    rejectEntry(entry, ctx, at, head.detail)
  } else {
    const item = itemContent(content, kind, ctx, key ?? 'item', track)
    if (item instanceof Rejected) {
      rejectEntry(entry, ctx, at, item.detail)
    } else {
      const where = { playlistId, snapshotId: ctx.playlist.snapshotId, position }
      collector.accept('playlist_items', toPlaylistItemRow(checked, item, where, ctx.from), at.origin)
    }
  }
  if (track !== null) {
    at.steps.push(key === 'track' ? '.track' : '.item')
    collectTrack(content, ctx, at, track)
    at.steps.pop()
  }
}

function collectPlaylistItems(page: unknown, ctx: ResponseContext, path: string) {
  const { collector, source } = ctx
  const checked = check(ctx.validation, RECORDS.itemsPage, page)
  if (checked instanceof Rejected) {
    collector.reject('playlist_items', 'invalid_payload', `items page: ${checked.detail}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const { items, offset, href } = checked
  const playlistId = ctx.playlist.id ?? playlistIdOfHref(href ?? undefined)
  const at = new Trail(path, source)
  at.steps.push('.items', 0)
  for (let i = 0; i < items.length; i++) {
    at.steps[1] = i
    if (playlistId === null) {
      collector.reject(
        'playlist_items',
        'invalid_payload',
        'playlist id unknown (no playlist, unit or href)',
        {
          source,
          path: `${at}`,
          record: items[i],
        },
      )
      continue
    }
    collectEntry(items[i], ctx, at, (offset ?? 0) + i, playlistId)
  }
}

function collectPlaylist(body: unknown, ctx: ResponseContext) {
  const { collector, source, path } = ctx
  const raw = isObject(body) ? body : {}
  // The first items page: `items` (2026) or `tracks` (legacy). Absent or null in development mode for
  // playlists the user does not own: then the playlist still gets its row, with `items_total` unknown.
  const pageKey = raw.items !== undefined && raw.items !== null ? 'items' : 'tracks'
  const page = raw[pageKey]
  const playlist = check(ctx.validation, RECORDS.playlist, body)
  if (playlist instanceof Rejected) {
    collector.reject('playlists', 'invalid_payload', playlist.detail, { source, path, record: body })
    // The items may still be fine: keep them when the id is there, or in the href (`fields=` projections).
    ctx.playlist.id ??=
      typeof raw.id === 'string'
        ? raw.id
        : playlistIdOfHref(typeof raw.href === 'string' ? raw.href : undefined)
  } else {
    ctx.playlist.id = playlist.id
    ctx.playlist.snapshotId ??= playlist.snapshot_id ?? null
    const total = playlist[pageKey]?.total ?? null
    collector.accept('playlists', toPlaylistRow(playlist, total, ctx.from), { source, path })
  }
  // `fields=...,items.total` (the extractor's changed-or-not check) asks for the count only: a page
  // without an `items` key holds no records. A page whose `items` is not a list is still a reject.
  if (page !== undefined && page !== null && (!isObject(page) || page.items !== undefined))
    collectPlaylistItems(page, ctx, `${path}.${pageKey}`)
}

/**
 * A page of an account's plays: a `plays` row per play, and its track (with album and artists) for the
 * catalog tables, as a playlist entry's track. A play without its account cannot be a row.
 */
function collectPlays(page: unknown, ctx: ResponseContext) {
  const { collector, source, path } = ctx
  const checked = check(ctx.validation, RECORDS.playsPage, page)
  if (checked instanceof Rejected) {
    collector.reject('plays', 'invalid_payload', `plays page: ${checked.detail}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const at = new Trail(path, source)
  at.steps.push('.items', 0)
  checked.items.forEach((item, i) => {
    at.steps[1] = i
    const play = check(ctx.validation, RECORDS.play, item)
    if (play instanceof Rejected || !ctx.playsAccountId) {
      const detail = play instanceof Rejected ? play.detail : 'account unknown (no recently-played unit)'
      collector.reject('plays', 'invalid_payload', detail, { source, path: `${at}`, record: item })
    } else {
      collector.accept('plays', toPlayRow(play, ctx.playsAccountId, ctx.from), at.origin)
    }
    if (isObject(item) && item.track !== undefined && item.track !== null) {
      at.steps.push('.track')
      collectTrack(item.track, ctx, at)
      at.steps.pop()
    }
  })
}

/**
 * A page of an account's top tracks or artists: a `top_tracks` / `top_artists` row per item, ranked
 * from the page's offset (rank 1 = the top), and the item itself for the catalog tables, as a playlist
 * entry's track. An item without its account and time range cannot be a row.
 */
function collectTopItems(kind: 'top-tracks' | 'top-artists', page: unknown, ctx: ResponseContext) {
  const { collector, source, path, snapshotAccountId: accountId, timeRange } = ctx
  const table = kind === 'top-tracks' ? 'top_tracks' : 'top_artists'
  const checked = check(ctx.validation, RECORDS.topItemsPage, page)
  if (checked instanceof Rejected) {
    collector.reject(table, 'invalid_payload', `top items page: ${checked.detail}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const offset = checked.offset ?? 0
  const at = new Trail(path, source)
  at.steps.push('.items', 0)
  checked.items.forEach((item, i) => {
    at.steps[1] = i
    const record =
      kind === 'top-tracks'
        ? check(ctx.validation, RECORDS.topTrack, item)
        : check(ctx.validation, RECORDS.listedArtist, item)
    if (record instanceof Rejected || !accountId || !timeRange) {
      const detail = record instanceof Rejected ? record.detail : 'account unknown (no top-items unit)'
      collector.reject(table, 'invalid_payload', detail, { source, path: `${at}`, record: item })
    } else {
      const ranked = { accountId, timeRange, rank: offset + i + 1 }
      if (kind === 'top-tracks')
        collector.accept('top_tracks', toTopTrackRow(record as TopTrackRecord, ranked, ctx.from), at.origin)
      else collector.accept('top_artists', toTopArtistRow(record, ranked, ctx.from), at.origin)
    }
    // The item is a catalog record of its own too: what only the catalog reads costs only its row there.
    if (kind === 'top-tracks') collectTrack(item, ctx, at)
    else collectArtist(item, ctx, at)
  })
}

/** A page of an account's followed artists: a `followed_artists` row and an `artists` row per artist. */
function collectFollowedArtists(page: unknown, ctx: ResponseContext) {
  const { collector, source, path, snapshotAccountId: accountId } = ctx
  const checked = check(ctx.validation, RECORDS.followedArtistsPage, page)
  if (checked instanceof Rejected) {
    collector.reject('followed_artists', 'invalid_payload', `followed artists page: ${checked.detail}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const at = new Trail(path, source)
  at.steps.push('.artists.items', 0)
  checked.artists.items.forEach((item, i) => {
    at.steps[1] = i
    const artist = check(ctx.validation, RECORDS.listedArtist, item)
    if (artist instanceof Rejected || !accountId) {
      const detail = artist instanceof Rejected ? artist.detail : 'account unknown (no followed-artists unit)'
      collector.reject('followed_artists', 'invalid_payload', detail, { source, path: `${at}`, record: item })
    } else {
      collector.accept('followed_artists', toFollowedArtistRow(artist, accountId, ctx.from), at.origin)
    }
    collectArtist(item, ctx, at)
  })
}

type SavedKind = 'saved-tracks' | 'saved-albums' | 'saved-shows' | 'saved-episodes'

/**
 * A page of an account's saved tracks, albums, shows or episodes: a row per holding new to the lake
 * (see `isNewHolding`) and, for a track or an album, its object for the catalog tables (a track with
 * its album and artists, an album with its artists). Items the lake already holds add nothing: raw
 * keeps them.
 */
function collectSaved(kind: SavedKind, page: unknown, ctx: ResponseContext) {
  const { collector, source, path } = ctx
  const table = SAVED_TABLES[kind]
  const checked = check(ctx.validation, RECORDS.savedPage, page)
  if (checked instanceof Rejected) {
    collector.reject(table, 'invalid_payload', `saved page: ${checked.detail}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const saved = ctx.saved?.table === table ? ctx.saved : null
  const at = new Trail(path, source)
  at.steps.push('.items', 0)
  for (let i = 0; i < checked.items.length; i++) {
    at.steps[1] = i
    collectSavedItem(kind, checked.items[i], ctx, saved, at)
  }
}

/** One saved item: a row when it is a holding new to the lake, and its track or album for the catalog. */
function collectSavedItem(
  kind: SavedKind,
  item: unknown,
  ctx: ResponseContext,
  saved: SavedContext | null,
  at: Trail,
) {
  const { collector, source } = ctx
  const table = SAVED_TABLES[kind]
  const reject = (detail: string) => {
    collector.reject(table, 'invalid_payload', detail, { source, path: `${at}`, record: item })
  }
  if (!saved) {
    reject('account unknown (no saved-library unit)')
    return
  }
  // A holding starts when it was saved: Spotify's "unknown" (the epoch) cannot start one.
  const isNew = (addedAt: string, id: string): boolean => {
    const ms = Date.parse(addedAt)
    if (!isPlaceholderAddedAt(ms)) return isNewHolding(saved, id, ms)
    reject(`added_at: ${addedAt} is Spotify's placeholder for unknown`)
    return false
  }
  const { accountId } = saved
  switch (kind) {
    case 'saved-tracks': {
      const record = check(ctx.validation, RECORDS.savedTrack, item)
      if (record instanceof Rejected) return reject(record.detail)
      if (!isNew(record.added_at, record.track.id)) return
      collector.accept(table, toSavedTrackRow(record, accountId, ctx.from), at.origin)
      at.steps.push('.track')
      collectTrack(record.track, ctx, at)
      at.steps.pop()
      return
    }
    case 'saved-albums': {
      const record = check(ctx.validation, RECORDS.savedAlbum, item)
      if (record instanceof Rejected) return reject(record.detail)
      if (!isNew(record.added_at, record.album.id)) return
      collector.accept(table, toSavedAlbumRow(record, accountId, ctx.from), at.origin)
      at.steps.push('.album')
      collectAlbum(record.album, ctx, at)
      at.steps.pop()
      return
    }
    case 'saved-shows': {
      const record = check(ctx.validation, RECORDS.savedShow, item)
      if (record instanceof Rejected) return reject(record.detail)
      if (isNew(record.added_at, record.show.id))
        collector.accept(table, toSavedShowRow(record, accountId, ctx.from), at.origin)
      return
    }
    case 'saved-episodes': {
      const record = check(ctx.validation, RECORDS.savedEpisode, item)
      if (record instanceof Rejected) return reject(record.detail)
      if (isNew(record.added_at, record.episode.id))
        collector.accept(table, toSavedEpisodeRow(record, accountId, ctx.from), at.origin)
    }
  }
}

/** The holdings a saved-library unit found gone: one row each, with `removed_at` (path `unit.removed[i]`). */
export function collectRemovals(
  removed: readonly SavedItemRemoval[],
  saved: SavedContext,
  ctx: Pick<ResponseContext, 'collector' | 'source' | 'from'>,
): void {
  removed.forEach((removal, i) => {
    ctx.collector.accept(saved.table, toRemovedRow(saved.table, removal, saved.accountId, ctx.from), {
      source: ctx.source,
      path: `unit.removed[${i}]`,
    })
  })
}

function collectBatch(
  kind: 'several-tracks' | 'several-albums' | 'several-artists',
  body: unknown,
  ctx: ResponseContext,
) {
  const { collector, source, path } = ctx
  const key = kind === 'several-tracks' ? 'tracks' : kind === 'several-albums' ? 'albums' : 'artists'
  const parsed = batchSchemas[kind].safeParse(body)
  if (!parsed.success) {
    collector.reject(key, 'invalid_payload', describeIssue(parsed.error, body), {
      source,
      path,
      record: body,
    })
    return
  }
  const slots = (parsed.data as Record<string, unknown[]>)[key] ?? []
  slots.forEach((slot, i) => {
    const at = `${path}.${key}[${i}]`
    if (slot === null) {
      const id = ctx.requestedIds?.[i] ?? null
      collector.reject(key, 'not_found', `Spotify returned null for ${id ?? `slot ${i}`}`, {
        source,
        path: at,
        record: { id },
      })
      return
    }
    collectOne(key === 'tracks' ? 'track' : key === 'albums' ? 'album' : 'artist', slot, { ...ctx, path: at })
  })
}

function collectOne(kind: 'track' | 'album' | 'artist', body: unknown, ctx: ResponseContext) {
  const at = new Trail(ctx.path, ctx.source)
  if (kind === 'track') collectTrack(body, ctx, at)
  else if (kind === 'album') collectAlbum(body, ctx, at)
  else collectArtist(body, ctx, at)
}

/**
 * Turns one response body into rows. `playlists-list` pages (GET /me/playlists) are the account's links to
 * its playlists (`account_playlists`), when the object says whose listing it is; the snapshot check only
 * compares ids and holds no record.
 */
export function normalizeResponse(kind: ResponseKind, body: unknown, ctx: ResponseContext): void {
  switch (kind) {
    case 'playlist':
      collectPlaylist(body, ctx)
      break
    case 'playlist-items':
      collectPlaylistItems(body, ctx, ctx.path)
      break
    case 'playlists-list':
      if (ctx.account) collectAccountPlaylists(body, { ...ctx, account: ctx.account })
      break
    case 'playlist-snapshot': {
      // The snapshot check holds no record; its id still names the snapshot of the items that follow.
      const snapshot = (body as { snapshot_id?: unknown } | null)?.snapshot_id
      if (typeof snapshot === 'string') ctx.playlist.snapshotId ??= snapshot
      break
    }
    case 'recently-played':
      collectPlays(body, ctx)
      break
    case 'top-tracks':
    case 'top-artists':
      collectTopItems(kind, body, ctx)
      break
    case 'followed-artists':
      collectFollowedArtists(body, ctx)
      break
    case 'saved-tracks':
    case 'saved-albums':
    case 'saved-shows':
    case 'saved-episodes':
      collectSaved(kind, body, ctx)
      break
    case 'several-tracks':
    case 'several-albums':
    case 'several-artists':
      collectBatch(kind, body, ctx)
      break
    default:
      collectOne(kind, body, ctx)
  }
}
