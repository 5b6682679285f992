/**
 * @module What an import needs to know of the lake before it writes: the plays it already holds (their
 * keys, per account), the catalog's tracks (to match account-data plays by names) and the accounts.
 * Read from the Parquet files themselves (key columns only), so a lake without DuckDB's cache works.
 */
import type { LakeStore } from '@spotify-lake/lake-store'
import { lakeKeys } from '@spotify-lake/schemas'
import { type CatalogTrack, playKeyString, TrackIndex } from '@spotify-lake/spotify-export'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { PARQUET_DECOMPRESSORS } from '../load/compressors.ts'

async function readColumns(
  store: LakeStore,
  key: string,
  wanted: readonly string[],
): Promise<Record<string, unknown>[]> {
  const bytes = await store.get(key)
  if (!bytes) return []
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  const metadata = parquetMetadata(file)
  const present = new Set(metadata.schema.map((s) => s.name))
  const columns = wanted.filter((c) => present.has(c))
  return parquetReadObjects({ file, metadata, columns, compressors: PARQUET_DECOMPRESSORS })
}

async function parquetKeys(store: LakeStore, table: string): Promise<string[]> {
  return (await store.listKeys(lakeKeys.tablePrefix(table))).filter((k) => k.endsWith('.parquet')).sort()
}

export interface LakeState {
  /** Keys (`playKeyString`) of the account's plays already in the lake, every source, every run. */
  playKeys: Set<string>
  tracks: TrackIndex
  /** Accounts the lake has plays or playlists of. */
  accounts: Set<string>
  playFiles: number
}

/**
 * The lake's plays of `accountId` (all accounts' ids are collected either way), its tracks and accounts.
 * The plays file of `runId` itself is left out: a redelivered import must find its own rows new again,
 * or it would overwrite its file with nothing.
 */
export async function readLakeState(
  store: LakeStore,
  accountId: string | null,
  runId?: string,
): Promise<LakeState> {
  const playKeys = new Set<string>()
  const accounts = new Set<string>()
  const playFiles = (await parquetKeys(store, 'plays')).filter(
    (k) => !runId || !k.endsWith(`/${runId}.parquet`),
  )
  for (const key of playFiles) {
    for (const row of await readColumns(store, key, ['account_id', 'played_at', 'play_key', 'track_id'])) {
      const account = row.account_id as string
      accounts.add(account)
      if (account !== accountId) continue
      // Files written before play_key existed hold API plays keyed by their track.
      const play_key = (row.play_key as string | undefined) ?? `spotify:track:${row.track_id as string}`
      playKeys.add(playKeyString({ account_id: account, played_at: row.played_at as Date, play_key }))
    }
  }
  for (const key of await parquetKeys(store, 'account_playlists'))
    for (const row of await readColumns(store, key, ['account_id'])) accounts.add(row.account_id as string)
  const tracks: CatalogTrack[] = []
  for (const key of await parquetKeys(store, 'tracks'))
    for (const row of await readColumns(store, key, ['track_id', 'name', 'artist_names']))
      tracks.push({
        track_id: row.track_id as string,
        name: (row.name as string | null) ?? null,
        artist_names: (row.artist_names as string[] | null) ?? null,
      })
  return { playKeys, tracks: new TrackIndex(tracks), accounts, playFiles: playFiles.length }
}
