/**
 * @module The top_items source: each connected account's top tracks and top artists over the three time
 * ranges (`GET /me/top/{tracks,artists}`), a daily snapshot. Raw folder `top_items`; it feeds
 * `top_tracks` and `top_artists` and, through the track and artist objects in the lists, the catalog tables.
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource } from '../define-source.ts'
import { type TopItemsUnit, TopItemsUnitSchema } from './units.ts'

export * from './units.ts'

export const topItemsSource = defineSource({
  name: 'top_items',
  unitSchemas: [TopItemsUnitSchema],
  resources: [
    {
      type: 'top-items',
      folder: 'top_items',
      key: (unit: TopItemsUnit) =>
        `top-items:${accountKey(unit.accountId)}:${unit.itemType}:${unit.timeRange}`,
      rawName: (unit: TopItemsUnit) =>
        `top-items-${accountKey(unit.accountId)}-${unit.itemType}-${unit.timeRange}`,
    },
  ],
  folders: [
    {
      name: 'top_items',
      kinds: ['top-tracks', 'top-artists'],
      tables: ['top_tracks', 'top_artists', 'tracks', 'albums', 'artists'],
      owns: ['top_tracks', 'top_artists'],
      rejectTable: 'top_tracks',
    },
  ],
  responseKinds: [
    { kind: 'top-tracks', endpoint: /^(\/v1)?\/me\/top\/tracks\/?$/, table: 'top_tracks' },
    { kind: 'top-artists', endpoint: /^(\/v1)?\/me\/top\/artists\/?$/, table: 'top_artists' },
  ],
})
