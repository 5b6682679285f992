/**
 * @module The saved-library sources: each connected account's saved tracks (`GET /me/tracks`) and saved
 * albums (`GET /me/albums`), newest `added_at` first with offset paging. Incremental: a check pages only
 * until an item the lake already holds; a periodic full listing finds removals (`removed_at`). Raw
 * folders `saved_tracks` and `saved_albums`; they feed their tables and, through the full objects inside
 * each item, the catalog tables.
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource } from '../define-source.ts'
import {
  type SavedAlbumsUnit,
  SavedAlbumsUnitSchema,
  type SavedTracksUnit,
  SavedTracksUnitSchema,
} from './units.ts'

export * from './units.ts'

export const savedTracksSource = defineSource({
  name: 'saved_tracks',
  unitSchemas: [SavedTracksUnitSchema],
  resources: [
    {
      type: 'saved-tracks',
      folder: 'saved_tracks',
      key: (unit: SavedTracksUnit) => `saved-tracks:${accountKey(unit.accountId)}`,
      rawName: (unit: SavedTracksUnit) => `saved-tracks-${accountKey(unit.accountId)}`,
    },
  ],
  folders: [
    {
      name: 'saved_tracks',
      kinds: ['saved-tracks'],
      tables: ['saved_tracks', 'tracks', 'albums', 'artists'],
      owns: ['saved_tracks'],
      rejectTable: 'saved_tracks',
    },
  ],
  responseKinds: [{ kind: 'saved-tracks', endpoint: /^(\/v1)?\/me\/tracks\/?$/, table: 'saved_tracks' }],
})

export const savedAlbumsSource = defineSource({
  name: 'saved_albums',
  unitSchemas: [SavedAlbumsUnitSchema],
  resources: [
    {
      type: 'saved-albums',
      folder: 'saved_albums',
      key: (unit: SavedAlbumsUnit) => `saved-albums:${accountKey(unit.accountId)}`,
      rawName: (unit: SavedAlbumsUnit) => `saved-albums-${accountKey(unit.accountId)}`,
    },
  ],
  folders: [
    {
      name: 'saved_albums',
      kinds: ['saved-albums'],
      tables: ['saved_albums', 'albums', 'artists'],
      owns: ['saved_albums'],
      rejectTable: 'saved_albums',
    },
  ],
  responseKinds: [{ kind: 'saved-albums', endpoint: /^(\/v1)?\/me\/albums\/?$/, table: 'saved_albums' }],
})
