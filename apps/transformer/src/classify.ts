/** @module Which Spotify response a body is: by the endpoint template the extractor recorded, else by its shape. */
import type { LakeTableName, RawSource } from '@spotify-lake/schemas'

export const RESPONSE_KINDS = [
  'playlist',
  'playlist-snapshot',
  'playlist-items',
  'playlists-list',
  'several-tracks',
  'track',
  'several-albums',
  'album',
  'several-artists',
  'artist',
] as const
export type ResponseKind = (typeof RESPONSE_KINDS)[number]

/** Endpoint templates (and concrete paths) of every response kind; first match wins. */
const endpointPatterns: [RegExp, ResponseKind][] = [
  [/^(\/v1)?\/playlists\/[^/]+\/(items|tracks)\/?$/, 'playlist-items'],
  [/^(\/v1)?\/playlists\/[^/]+\/?$/, 'playlist'],
  [/^(\/v1)?\/(me|users\/[^/]+)\/playlists\/?$/, 'playlists-list'],
  [/^(\/v1)?\/tracks\/?$/, 'several-tracks'],
  [/^(\/v1)?\/tracks\/[^/]+\/?$/, 'track'],
  [/^(\/v1)?\/albums\/?$/, 'several-albums'],
  [/^(\/v1)?\/albums\/[^/]+\/?$/, 'album'],
  [/^(\/v1)?\/artists\/?$/, 'several-artists'],
  [/^(\/v1)?\/artists\/[^/]+\/?$/, 'artist'],
]

/** The kinds each raw source may hold; anything else in its objects is `unexpected_payload`. */
export const KINDS_BY_SOURCE: Record<RawSource, readonly ResponseKind[]> = {
  playlists: ['playlist', 'playlist-snapshot', 'playlist-items', 'playlists-list'],
  tracks: ['several-tracks', 'track'],
  albums: ['several-albums', 'album'],
  artists: ['several-artists', 'artist'],
}

/**
 * Every table a source's raw objects can add rows to: playlist items embed tracks with their albums and
 * artists, tracks embed albums and artists, albums embed artists.
 */
export const TABLES_OF_SOURCE: Record<RawSource, readonly LakeTableName[]> = {
  playlists: ['playlists', 'account_playlists', 'playlist_items', 'tracks', 'albums', 'artists'],
  tracks: ['tracks', 'albums', 'artists'],
  albums: ['albums', 'artists'],
  artists: ['artists'],
}

/** The table a whole-response reject of this kind is filed under. */
export const TABLE_OF_KIND: Record<ResponseKind, LakeTableName> = {
  playlist: 'playlists',
  'playlist-snapshot': 'playlists',
  'playlist-items': 'playlist_items',
  'playlists-list': 'account_playlists',
  'several-tracks': 'tracks',
  track: 'tracks',
  'several-albums': 'albums',
  album: 'albums',
  'several-artists': 'artists',
  artist: 'artists',
}

/** The table of a source's own records (where object-level rejects of that source go). */
export const TABLE_OF_SOURCE: Record<RawSource, LakeTableName> = {
  playlists: 'playlists',
  tracks: 'tracks',
  albums: 'albums',
  artists: 'artists',
}

/**
 * The kind from the recorded endpoint template and query. `GET /playlists/{id}?fields=snapshot_id`
 * is the extractor's "did it change?" check: it holds no record.
 */
export function kindOfEndpoint(endpoint: string, params: Record<string, string> = {}): ResponseKind | null {
  const path = endpoint.split('?')[0] ?? ''
  for (const [pattern, kind] of endpointPatterns) {
    if (!pattern.test(path)) continue
    return kind === 'playlist' && params.fields === 'snapshot_id' ? 'playlist-snapshot' : kind
  }
  return null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Shape sniffing for bare responses (offline files) and endpoints we do not know. */
export function kindOfBody(body: unknown): ResponseKind | null {
  if (!isObject(body)) return null
  switch (body.type) {
    case 'playlist':
      return 'playlist'
    case 'track':
      return 'track'
    case 'album':
      return 'album'
    case 'artist':
      return 'artist'
  }
  // A `fields=` projection of a playlist keeps no `type`, but its owner and items page give it away.
  if ('owner' in body && (isObject(body.tracks) || isObject(body.items))) return 'playlist'
  if (Array.isArray(body.tracks)) return 'several-tracks'
  if (Array.isArray(body.albums)) return 'several-albums'
  if (Array.isArray(body.artists)) return 'several-artists'
  if (Array.isArray(body.items)) {
    if (typeof body.href === 'string') {
      const kind = kindOfEndpoint(new URL(body.href, 'https://api.spotify.com').pathname)
      if (kind === 'playlist-items' || kind === 'playlists-list') return kind
    }
    const first = body.items.find(isObject)
    if (first && ('track' in first || 'item' in first) && 'added_at' in first) return 'playlist-items'
    if (first && first.type === 'playlist') return 'playlists-list'
  }
  return null
}

/** Playlist id from a playlist or items page href (`/v1/playlists/{id}`, `/v1/playlists/{id}/tracks?offset=...`). */
export function playlistIdOfHref(href: string | undefined): string | null {
  if (!href) return null
  const match = /\/playlists\/([^/?#]+)(\/(items|tracks))?\/?([?#]|$)/.exec(href)
  return match?.[1] ?? null
}
