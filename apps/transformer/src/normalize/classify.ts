/** @module Which Spotify response a body is: by the endpoint the extractor recorded (the sources' registry), else by its shape. */
import { kindOfEndpoint, RESPONSE_KINDS, type ResponseKind } from '@spotify-lake/schemas'

// The kinds, their endpoints, folders and tables are declared by each source (`@spotify-lake/schemas`
// `sources/`); what is left here is telling a bare body's kind by its shape.
export { kindOfEndpoint, RESPONSE_KINDS, type ResponseKind }

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
      // A page of another known endpoint (a saved-library page) needs its unit: not a playlist's items.
      if (kind !== null) return null
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
