/**
 * @module The followed_artists source: each connected account's followed artists (`GET
 * /me/following?type=artist`), a daily snapshot. Raw folder `followed_artists`; it feeds
 * `followed_artists` and, through the full artist objects in the list, `artists`.
 */
import { accountKey } from '../../pipeline/accounts.ts'
import { defineSource, padded } from '../define-source.ts'
import { type FollowedArtistsUnit, FollowedArtistsUnitSchema } from './units.ts'

export * from './units.ts'

export const followedArtistsSource = defineSource({
  name: 'followed_artists',
  unitSchemas: [FollowedArtistsUnitSchema],
  resources: [
    {
      type: 'followed-artists',
      folder: 'followed_artists',
      key: (unit: FollowedArtistsUnit) => `followed-artists:${accountKey(unit.accountId)}:${unit.part}`,
      rawName: (unit: FollowedArtistsUnit) =>
        `followed-artists-${accountKey(unit.accountId)}-p${padded(unit.part, 4)}`,
    },
  ],
  folders: [
    {
      name: 'followed_artists',
      kinds: ['followed-artists'],
      tables: ['followed_artists', 'artists'],
      owns: ['followed_artists'],
      rejectTable: 'followed_artists',
    },
  ],
  responseKinds: [
    { kind: 'followed-artists', endpoint: /^(\/v1)?\/me\/following\/?$/, table: 'followed_artists' },
  ],
})
