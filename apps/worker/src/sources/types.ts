/** @module What a source's extraction gets and gives back: the contract between the sources and the EXTRACT consumer. */
import type { CatalogKind, ExtractUnit, FollowedArtistsUnit, PlaylistUnit } from '@spotify-lake/schemas'
import type { SpotifyClient, SpotifyExchange } from '@spotify-lake/spotify-client'
import type { Failure } from '../extract/classify-error.ts'
import type { ReferencedIds } from './playlists/referenced-ids.ts'
import type { SavedLibraryState, SavedLibraryType } from './saved-library/state.ts'

export interface ExtractContext {
  client: SpotifyClient
  /** Spotify calls this message may make (a playlist continues in a follow-up message past it). */
  callBudget: number
  force: boolean
  /** Snapshot id of the playlist's last complete extraction by an earlier run, or null. */
  lastSnapshot: (playlistId: string) => Promise<string | null>
  /** `played_at` (Unix ms) of the account's newest play already in raw, or null before its first poll. */
  playsCursor: (accountId: string) => Promise<number | null>
  /** The account's saved-library state of that kind (holdings, last full listing), or null before its first. */
  savedLibrary: (type: SavedLibraryType, accountId: string) => Promise<SavedLibraryState | null>
  /** A saved-library check lists everything (finding removals) when the last full listing is this old (ms). */
  libraryFullListingMs: number
  now: () => Date
  /** Every exchange, appended as it arrives: on a permanent error the caller still keeps what came back. */
  responses: SpotifyExchange[]
}

/** Plays Spotify may no longer hold: between `from` (the cursor) and `to` (the oldest play a full page held), ISO 8601. */
export interface PossibleGap {
  from: string
  to: string
}

/** A listed playlist planned as skipped, and why (recorded in the manifest; Spotify is not called for it). */
export interface SkippedPlaylist {
  playlistId: string
  reason: string
}

export type UnitOutcome =
  | {
      kind: 'extracted'
      /** The unit as recorded in the raw envelope (a playlist's snapshot id filled in). */
      unit: ExtractUnit
      /** Records seen: playlist items, catalog objects, listed playlists. */
      items: number
      /** The rest of a playlist (or of a followed-artists list) that did not fit in the call budget (`CALL_BUDGET`). */
      next?: PlaylistUnit | FollowedArtistsUnit
      /** Albums and artists the items refer to (playlist and saved-library units). */
      referenced?: ReferencedIds
      /** Playlist entries off the schema (kept in raw; the transformer rejects them with the reason). */
      unreadable?: number
      /** Playlists found by `my-playlists` whose items this app may read. */
      playlistIds?: string[]
      /** Playlists found by `my-playlists` whose items it may not read (development mode). */
      skipped?: SkippedPlaylist[]
      /** Set on the last part of a playlist: remember its snapshot for the next run's check. */
      completedSnapshot?: { playlistId: string; snapshotId: string }
      /** A catalog batch: its ids, recorded as fetched in the catalog ledger once raw is stored. */
      catalogFetched?: { kind: CatalogKind; ids: string[] }
      /** A recently-played poll got newer plays: the account's next `after`, kept once raw is stored. */
      playsCursor?: { accountId: string; after: number }
      /** A saved-library check's holdings afterwards, kept once raw is stored. */
      savedLibrary?: Pick<SavedLibraryState, 'held' | 'lastFullAt'> & {
        type: SavedLibraryType
        accountId: string
      }
      /** A recently-played poll may have missed plays (recorded in the manifest). */
      possibleGap?: PossibleGap & { accountId: string }
      /**
       * The part stopped early on a transient failure or a long 429 after it had secured pages: those
       * are kept, and `next` continues from the first page it did not get (after a pause).
       */
      interrupted?: Failure
    }
  | { kind: 'unchanged'; unit: PlaylistUnit; snapshotId: string }
