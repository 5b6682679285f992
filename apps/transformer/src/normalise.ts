/** @module Normalisers: one parsed Spotify response in, rows and rejects into the collector (pure, no I/O). */
import {
  AlbumSchema,
  ArtistSchema,
  CatalogTrackSchema,
  PlaylistItemSchema,
  PlaylistSchema,
  playlistContentKind,
  playlistItemContent,
  playlistItemsPage,
} from '@spotify-lake/schemas'
import { z } from 'zod'
import { collectAccountPlaylists, type ListingAccount } from './account-rows.ts'
import { playlistIdOfHref, type ResponseKind } from './classify.ts'
import { type Collector, firstIssue } from './collector.ts'
import {
  type Lineage,
  toAlbumRow,
  toArtistRow,
  toPlaylistItemRow,
  toPlaylistRow,
  toTrackRow,
} from './rows.ts'

/** What a response needs besides its body; `playlist` is shared by the responses of one raw object. */
export interface ResponseContext {
  collector: Collector
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
}

/** A page envelope, lenient on purpose: `fields=` projections and client re-encodings drop paging keys. */
const LenientPageSchema = z.looseObject({
  href: z.string().optional(),
  items: z.array(z.unknown()),
  offset: z.int().nonnegative().optional(),
  total: z.int().nonnegative().optional(),
})

const PlaylistMetaSchema = PlaylistSchema.omit({ items: true, tracks: true })

const batchSchemas = {
  'several-tracks': z.looseObject({ tracks: z.array(z.unknown()) }),
  'several-albums': z.looseObject({ albums: z.array(z.unknown()) }),
  'several-artists': z.looseObject({ artists: z.array(z.unknown()) }),
}

type CatalogTrack = z.infer<typeof CatalogTrackSchema>
type SimplifiedAlbumLike = CatalogTrack['album']

function collectAlbum(album: SimplifiedAlbumLike, ctx: ResponseContext, path: string) {
  ctx.collector.accept('albums', toAlbumRow(album, ctx.from), { source: ctx.source, path })
  album.artists?.forEach((artist, i) => {
    ctx.collector.accept('artists', toArtistRow(artist, ctx.from), {
      source: ctx.source,
      path: `${path}.artists[${i}]`,
    })
  })
}

/** A catalog track and everything embedded in it: its album and the artists of both. */
function collectTrack(track: CatalogTrack, ctx: ResponseContext, path: string) {
  ctx.collector.accept('tracks', toTrackRow(track, ctx.from), { source: ctx.source, path })
  collectAlbum(track.album, ctx, `${path}.album`)
  track.artists.forEach((artist, i) => {
    ctx.collector.accept('artists', toArtistRow(artist, ctx.from), {
      source: ctx.source,
      path: `${path}.artists[${i}]`,
    })
  })
}

function collectPlaylistItems(page: unknown, ctx: ResponseContext, path: string) {
  const { collector, source } = ctx
  const parsed = LenientPageSchema.safeParse(page)
  if (!parsed.success) {
    collector.reject('playlist_items', 'invalid_payload', `items page: ${firstIssue(parsed.error)}`, {
      source,
      path,
      record: page,
    })
    return
  }
  const { items, offset = 0, href } = parsed.data
  const playlistId = ctx.playlist.id ?? playlistIdOfHref(href)
  items.forEach((entry, i) => {
    const at = `${path}.items[${i}]`
    if (playlistId === null) {
      collector.reject(
        'playlist_items',
        'invalid_payload',
        'playlist id unknown (no playlist, unit or href)',
        {
          source,
          path: at,
          record: entry,
        },
      )
      return
    }
    const item = PlaylistItemSchema.safeParse(entry)
    if (!item.success) {
      collector.reject('playlist_items', 'invalid_payload', firstIssue(item.error), {
        source,
        path: at,
        record: entry,
      })
      return
    }
    const position = { playlistId, snapshotId: ctx.playlist.snapshotId ?? '', position: offset + i }
    collector.accept('playlist_items', toPlaylistItemRow(item.data, position, ctx.from), { source, path: at })
    const content = playlistItemContent(item.data)
    if (content && playlistContentKind(content) === 'track') {
      collectTrack(content as CatalogTrack, ctx, `${at}.${item.data.item ? 'item' : 'track'}`)
    }
  })
}

function collectPlaylist(body: unknown, ctx: ResponseContext) {
  const { collector, source, path } = ctx
  const meta = PlaylistMetaSchema.safeParse(body)
  const page = playlistItemsPage(body as { items?: unknown; tracks?: unknown })
  const pageKey = (body as { items?: unknown }).items ? 'items' : 'tracks'
  if (!meta.success) {
    collector.reject('playlists', 'invalid_payload', firstIssue(meta.error), { source, path, record: body })
    // The items may still be fine: keep them when the id is at least there.
    const id = (body as { id?: unknown }).id
    if (typeof id === 'string') ctx.playlist.id ??= id
  } else {
    ctx.playlist.id = meta.data.id
    ctx.playlist.snapshotId ??= meta.data.snapshot_id ?? ''
    const total = (page as { total?: unknown } | null)?.total
    collector.accept(
      'playlists',
      toPlaylistRow(meta.data, typeof total === 'number' ? total : undefined, ctx.from),
      { source, path },
    )
  }
  // `fields=...,items.total` (the extractor's changed-or-not check) asks for the count only: a page
  // without an `items` key holds no records. A page whose `items` is not a list is still a reject.
  if (page && (page as { items?: unknown }).items !== undefined)
    collectPlaylistItems(page, ctx, `${path}.${pageKey}`)
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
    collector.reject(key, 'invalid_payload', firstIssue(parsed.error), { source, path, record: body })
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
  const { collector, source, path } = ctx
  if (kind === 'track') {
    const track = CatalogTrackSchema.safeParse(body)
    if (!track.success) {
      collector.reject('tracks', 'invalid_payload', firstIssue(track.error), { source, path, record: body })
      return
    }
    collectTrack(track.data, ctx, path)
  } else if (kind === 'album') {
    const album = AlbumSchema.safeParse(body)
    if (!album.success) {
      collector.reject('albums', 'invalid_payload', firstIssue(album.error), { source, path, record: body })
      return
    }
    collectAlbum(album.data, ctx, path)
  } else {
    const artist = ArtistSchema.safeParse(body)
    if (!artist.success) {
      collector.reject('artists', 'invalid_payload', firstIssue(artist.error), { source, path, record: body })
      return
    }
    collector.accept('artists', toArtistRow(artist.data, ctx.from), { source, path })
  }
}

/**
 * Turns one response body into rows. `playlists-list` pages (GET /me/playlists) are the account's links to
 * its playlists (`account_playlists`), when the object says whose listing it is; the snapshot check only
 * compares ids and holds no record.
 */
export function normaliseResponse(kind: ResponseKind, body: unknown, ctx: ResponseContext): void {
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
    case 'several-tracks':
    case 'several-albums':
    case 'several-artists':
      collectBatch(kind, body, ctx)
      break
    default:
      collectOne(kind, body, ctx)
  }
}
