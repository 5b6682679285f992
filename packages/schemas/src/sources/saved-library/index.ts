/**
 * @module The saved-library sources: each connected account's saved tracks (`GET /me/tracks`), albums
 * (`GET /me/albums`), shows (`GET /me/shows`) and episodes (`GET /me/episodes`), newest `added_at`
 * first with offset paging. Incremental: a check pages only
 * until an item the lake already holds; a periodic full listing finds removals (`removed_at`). Raw
 * folders of the sources' names; they feed their tables and, through the full track and album objects
 * inside the items, the catalog tables (shows and episodes have none).
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource } from '../define-source.ts'
import {
  type SavedAlbumsUnit,
  SavedAlbumsUnitSchema,
  type SavedEpisodesUnit,
  SavedEpisodesUnitSchema,
  type SavedShowsUnit,
  SavedShowsUnitSchema,
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

export const savedShowsSource = defineSource({
  name: 'saved_shows',
  unitSchemas: [SavedShowsUnitSchema],
  resources: [
    {
      type: 'saved-shows',
      folder: 'saved_shows',
      key: (unit: SavedShowsUnit) => `saved-shows:${accountKey(unit.accountId)}`,
      rawName: (unit: SavedShowsUnit) => `saved-shows-${accountKey(unit.accountId)}`,
    },
  ],
  folders: [
    {
      name: 'saved_shows',
      kinds: ['saved-shows'],
      tables: ['saved_shows'],
      owns: ['saved_shows'],
      rejectTable: 'saved_shows',
    },
  ],
  responseKinds: [{ kind: 'saved-shows', endpoint: /^(\/v1)?\/me\/shows\/?$/, table: 'saved_shows' }],
})

export const savedEpisodesSource = defineSource({
  name: 'saved_episodes',
  unitSchemas: [SavedEpisodesUnitSchema],
  resources: [
    {
      type: 'saved-episodes',
      folder: 'saved_episodes',
      key: (unit: SavedEpisodesUnit) => `saved-episodes:${accountKey(unit.accountId)}`,
      rawName: (unit: SavedEpisodesUnit) => `saved-episodes-${accountKey(unit.accountId)}`,
    },
  ],
  folders: [
    {
      name: 'saved_episodes',
      kinds: ['saved-episodes'],
      tables: ['saved_episodes'],
      owns: ['saved_episodes'],
      rejectTable: 'saved_episodes',
    },
  ],
  responseKinds: [
    { kind: 'saved-episodes', endpoint: /^(\/v1)?\/me\/episodes\/?$/, table: 'saved_episodes' },
  ],
})
