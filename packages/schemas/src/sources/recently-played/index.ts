/**
 * @module The recently_played source: each connected account's last plays (`GET
 * /me/player/recently-played`), polled with the `after` cursor. Raw folder `recently_played`; it feeds
 * `plays` and, through the full track objects inside each play, the catalog tables.
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource } from '../define-source.ts'
import { type RecentlyPlayedUnit, RecentlyPlayedUnitSchema } from './units.ts'

export * from './units.ts'

export const recentlyPlayedSource = defineSource({
  name: 'recently_played',
  unitSchemas: [RecentlyPlayedUnitSchema],
  resources: [
    {
      type: 'recently-played',
      folder: 'recently_played',
      key: (unit: RecentlyPlayedUnit) => `recently-played:${accountKey(unit.accountId)}`,
      rawName: (unit: RecentlyPlayedUnit) => `recently-played-${accountKey(unit.accountId)}`,
    },
  ],
  folders: [
    {
      name: 'recently_played',
      kinds: ['recently-played'],
      tables: ['plays', 'tracks', 'albums', 'artists'],
      owns: ['plays'],
      rejectTable: 'plays',
    },
  ],
  responseKinds: [
    { kind: 'recently-played', endpoint: /^(\/v1)?\/me\/player\/recently-played\/?$/, table: 'plays' },
  ],
})
