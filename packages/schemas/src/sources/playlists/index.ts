/**
 * @module The playlists source: each connected account's playlist listing and every playlist's items,
 * in parts. Raw folder `playlists`; it feeds the playlist tables and, through the tracks embedded in
 * items, the catalog tables.
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource, padded } from '../define-source.ts'
import {
  type MyPlaylistsUnit,
  MyPlaylistsUnitSchema,
  type PlaylistUnit,
  PlaylistUnitSchema,
} from './units.ts'

export * from './units.ts'

export const playlistsSource = defineSource({
  name: 'playlists',
  unitSchemas: [MyPlaylistsUnitSchema, PlaylistUnitSchema],
  resources: [
    {
      type: 'my-playlists',
      folder: 'playlists',
      key: (unit: MyPlaylistsUnit) => `my-playlists:${accountKey(unit.accountId)}`,
      rawName: (unit: MyPlaylistsUnit) => `my-playlists-${accountKey(unit.accountId)}`,
    },
    {
      type: 'playlist',
      folder: 'playlists',
      key: (unit: PlaylistUnit) => `playlist:${unit.playlistId}:${unit.part}`,
      rawName: (unit: PlaylistUnit) => `playlist-${unit.playlistId}-p${padded(unit.part, 4)}`,
    },
  ],
  folders: [
    {
      name: 'playlists',
      kinds: ['playlist', 'playlist-snapshot', 'playlist-items', 'playlists-list'],
      tables: ['playlists', 'account_playlists', 'playlist_items', 'tracks', 'albums', 'artists'],
      owns: ['playlists', 'account_playlists', 'playlist_items'],
      rejectTable: 'playlists',
    },
  ],
  responseKinds: [
    {
      kind: 'playlist-items',
      endpoint: /^(\/v1)?\/playlists\/[^/]+\/(items|tracks)\/?$/,
      table: 'playlist_items',
    },
    // `GET /playlists/{id}?fields=snapshot_id` is the "did it change?" check: it holds no record.
    {
      kind: 'playlist-snapshot',
      endpoint: /^(\/v1)?\/playlists\/[^/]+\/?$/,
      params: (params) => params.fields === 'snapshot_id',
      table: 'playlists',
    },
    { kind: 'playlist', endpoint: /^(\/v1)?\/playlists\/[^/]+\/?$/, table: 'playlists' },
    {
      kind: 'playlists-list',
      endpoint: /^(\/v1)?\/(me|users\/[^/]+)\/playlists\/?$/,
      table: 'account_playlists',
    },
  ],
})
