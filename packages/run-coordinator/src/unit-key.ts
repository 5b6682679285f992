/** @module Stable names of extraction units: the manifest key and the raw object's file name. */
import { accountKey, type ExtractUnit, type RawSource } from '@spotify-lake/schemas'

/** Manifest key: `my-playlists:<account>`, `playlist:<id>:<part>`, `albums:<batch>`. */
export function unitKey(unit: ExtractUnit): string {
  switch (unit.type) {
    case 'my-playlists':
      return `my-playlists:${accountKey(unit.accountId)}`
    case 'playlist':
      return `playlist:${unit.playlistId}:${unit.part}`
    default:
      return `${unit.type}:${unit.batch}`
  }
}

/** Raw zone folder of a unit. */
export function unitSource(unit: ExtractUnit): RawSource {
  switch (unit.type) {
    case 'my-playlists':
    case 'playlist':
      return 'playlists'
    default:
      return unit.type
  }
}

/** File name (without `.json.gz`) of a unit's raw object: deterministic, so a retry overwrites. */
export function unitRawName(unit: ExtractUnit): string {
  switch (unit.type) {
    case 'my-playlists':
      return `my-playlists-${accountKey(unit.accountId)}`
    case 'playlist':
      return `playlist-${unit.playlistId}-p${String(unit.part).padStart(4, '0')}`
    default:
      return `${unit.type}-b${String(unit.batch).padStart(5, '0')}`
  }
}
