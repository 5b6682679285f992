/** @module The registry of lake tables: the list every derivation, infra and the transformer iterate. */
import { accountPlaylistsTable } from './tables/account-playlists.ts'
import { albumsTable } from './tables/albums.ts'
import { artistsTable } from './tables/artists.ts'
import { followedArtistsTable } from './tables/followed-artists.ts'
import { playlistItemsTable } from './tables/playlist-items.ts'
import { playlistsTable } from './tables/playlists.ts'
import { playsTable } from './tables/plays.ts'
import { runTablesTable } from './tables/run-tables.ts'
import {
  savedAlbumsTable,
  savedEpisodesTable,
  savedShowsTable,
  savedTracksTable,
} from './tables/saved-library.ts'
import { topArtistsTable } from './tables/top-artists.ts'
import { topTracksTable } from './tables/top-tracks.ts'
import { tracksTable } from './tables/tracks.ts'

/** Every lake table, in a stable order (parents before children). */
export const lakeTables = [
  playlistsTable,
  playlistItemsTable,
  tracksTable,
  albumsTable,
  artistsTable,
  accountPlaylistsTable,
  playsTable,
  topTracksTable,
  topArtistsTable,
  followedArtistsTable,
  savedTracksTable,
  savedAlbumsTable,
  savedShowsTable,
  savedEpisodesTable,
] as const

export type AnyLakeTable = (typeof lakeTables)[number]
export type LakeTableName = AnyLakeTable['name']

export const LAKE_TABLE_NAMES: readonly LakeTableName[] = lakeTables.map((t) => t.name)

/**
 * Every table a query engine sees (Glue and DuckDB): the data tables and `run_tables`, the pipeline's
 * record of which runs are complete for which table. Only the data tables are extracted and compacted.
 */
export const catalogTables = [...lakeTables, runTablesTable] as const

export function isLakeTableName(name: string): name is LakeTableName {
  return (LAKE_TABLE_NAMES as readonly string[]).includes(name)
}

/** The table of that name, or a clear error listing the valid names. */
export function lakeTable<N extends LakeTableName>(name: N): Extract<AnyLakeTable, { name: N }>
export function lakeTable(name: string): AnyLakeTable
export function lakeTable(name: string): AnyLakeTable {
  const table = lakeTables.find((t) => t.name === name)
  if (!table) {
    throw new Error(
      `unknown lake table ${JSON.stringify(name)}; valid tables: ${LAKE_TABLE_NAMES.join(', ')}`,
    )
  }
  return table
}
