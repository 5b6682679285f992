/** @module Staging: one transformed raw object to `staging/` Parquet and `staging-rejected/` JSONL, one part per table. */
import { gzip, type LakeStore } from '@spotify-lake/lake-store'
import {
  type Dt,
  LAKE_TABLE_NAMES,
  type LakeTableName,
  lakeKeys,
  lakeTable,
  parseRawKey,
  type RunId,
} from '@spotify-lake/schemas'
import type { Encoding } from 'hyparquet'
import type { TransformOutput } from '../normalize/collector.ts'
import { countByReason, type RejectRecord } from '../normalize/rejects.ts'
import { DUPLICATES_METADATA_KEY, type ParquetOptions, writeTableParquet } from './parquet.ts'

/**
 * Staging files are read back one row group at a time by compaction, so their groups stay smaller
 * than a table's: compaction then holds a few thousand input rows, not a whole playlist's. Each group
 * costs its own pages, so not much smaller either (2,000 took about 1.3x the encoding time of 5,000 on
 * the bench message, in Node).
 */
export const STAGING_ROW_GROUP_SIZE = 5_000

/**
 * The staging part of a raw key: `<folder>.<unit>` from `raw/<folder>/dt=.../<run>/<unit>.json.gz`
 * (`parseRawKey`). Deterministic, so a redelivered message overwrites its own part instead of adding one.
 */
export function partOfRawKey(rawKey: string): string {
  const parts = parseRawKey(rawKey)
  if (!parts) throw new Error(`not a raw object key: ${rawKey}`)
  return `${parts.source}.${parts.unit}`
}

/** What one raw object added to a run: the coordinator's `rawTransformed` payload, minus the key. */
export interface StageSummary {
  tables: Record<LakeTableName, { rows: number; rejected: number }>
  rejects: Record<string, number>
  /** Every record seen, in-object duplicates included: rows + rejected + duplicates over all tables. */
  itemsSeen: number
  bytes: number
}

/** The counts a transformed object adds to its run (`StageSummary` without the staged bytes). */
export function stageSummaryOf(output: TransformOutput): Omit<StageSummary, 'bytes'> {
  const tables = {} as StageSummary['tables']
  const rejects: RejectRecord[] = []
  let itemsSeen = 0
  for (const name of LAKE_TABLE_NAMES) {
    const table = output[name]
    tables[name] = { rows: table.rows.length, rejected: table.rejects.length }
    rejects.push(...table.rejects)
    itemsSeen += table.seen
  }
  return { tables, rejects: countByReason(rejects), itemsSeen }
}

/** JSON Lines of reject records, gzip'd; `Date`s become ISO strings through JSON. */
export async function encodeRejects(rejects: readonly RejectRecord[]): Promise<Uint8Array> {
  return gzip(rejects.map((r) => `${JSON.stringify(r)}\n`).join(''))
}

/** One table's staging objects: its rows as Parquet and its rejects as gzip JSON Lines (each when any). */
export interface StagedTable {
  parquet: Uint8Array | null
  rejects: Uint8Array | null
}

/**
 * Columns that hold about one value per row of a staging file, PLAIN from the start: a staging file
 * holds one raw object, deduplicated on the primary key, so an entity's own id, URI, name and codes
 * repeat rarely, and so do an item's position, track and time added. hyparquet-writer would sample
 * each of them and end with PLAIN anyway; naming it spares that sampling (about 10 ms of the bench
 * message in workerd, with the same bytes written). Other columns keep the writer's own choice.
 */
export const STAGING_PLAIN_COLUMNS: Readonly<Record<LakeTableName, readonly string[]>> = {
  playlists: [],
  playlist_items: ['position', 'item_id', 'item_uri', 'item_name', 'added_at'],
  tracks: ['track_id', 'name', 'uri', 'isrc'],
  albums: ['album_id', 'name', 'uri', 'upc', 'image_url'],
  artists: ['artist_id', 'name', 'uri', 'image_url'],
  account_playlists: ['playlist_id', 'position', 'snapshot_id'],
  plays: ['played_at'],
  top_tracks: ['rank', 'track_id', 'track_name'],
  top_artists: ['rank', 'artist_id', 'artist_name'],
  followed_artists: ['artist_id', 'artist_name'],
  saved_tracks: ['track_id', 'added_at'],
  saved_albums: ['album_id', 'added_at'],
  saved_shows: ['show_id', 'added_at'],
  saved_episodes: ['episode_id', 'added_at'],
}

/**
 * How staging files are written: they live until their run is compacted and are read whole, once, by
 * compaction. So no statistics or page indexes (nothing prunes on them), and no compression: ZSTD
 * cost the transform about a sixth of the floor in workerd (bench message), compaction takes about
 * as long either way there (faster uncompressed in Node), and the staged bytes (about 2.3x) only
 * cross to S3 and back once. The compacted tables stay ZSTD (`LAKE_PARQUET_CODEC`). Dictionaries
 * stay where the writer keeps them.
 */
export const STAGING_PARQUET = {
  codec: 'UNCOMPRESSED',
  statistics: false,
  encodings: Object.fromEntries(
    LAKE_TABLE_NAMES.map((table) => [
      table,
      Object.fromEntries(STAGING_PLAIN_COLUMNS[table].map((column) => [column, 'PLAIN' as const])),
    ]),
  ) as Record<LakeTableName, Readonly<Record<string, 'PLAIN'>>>,
} as const

/** What staging may be told besides the codec: the encodings by table (the bench compares others). */
export interface StagingOptions extends ParquetOptions {
  encodings?: Partial<Record<LakeTableName, Readonly<Record<string, Encoding>>>>
}

/** Encodes one table of a transformed raw object, without writing it anywhere (the bench times this). */
export async function encodeStagedTable({
  table,
  output,
  encodings = STAGING_PARQUET.encodings,
  ...parquet
}: StagingOptions & {
  table: LakeTableName
  output: TransformOutput[LakeTableName]
}): Promise<StagedTable> {
  const { rows, rejects, duplicates } = output
  return {
    parquet:
      rows.length === 0
        ? null
        : writeTableParquet({
            table: lakeTable(table),
            rows,
            metadata: { [DUPLICATES_METADATA_KEY]: String(duplicates) },
            rowGroupSize: STAGING_ROW_GROUP_SIZE,
            codec: STAGING_PARQUET.codec,
            statistics: STAGING_PARQUET.statistics,
            encodings: encodings[table],
            ...parquet,
          }),
    rejects: rejects.length === 0 ? null : await encodeRejects(rejects),
  }
}

/**
 * Writes every table's rows and rejects of one raw object. Resolves only once each PUT returned
 * 200, so a caller may ack its message afterwards. Tables with nothing get no object.
 */
export async function stageOutput({
  store,
  output,
  dt,
  runId,
  part,
  ...parquet
}: ParquetOptions & {
  store: LakeStore
  output: TransformOutput
  dt: Dt
  runId: RunId
  part: string
}): Promise<StageSummary> {
  let bytes = 0
  for (const name of LAKE_TABLE_NAMES) {
    const staged = await encodeStagedTable({ table: name, output: output[name], ...parquet })
    if (staged.parquet) {
      await store.put(lakeKeys.staging({ table: name, dt, runId, part }), staged.parquet, {
        contentType: 'application/vnd.apache.parquet',
      })
      bytes += staged.parquet.length
    }
    if (staged.rejects) {
      await store.put(lakeKeys.stagingRejected({ table: name, dt, runId, part }), staged.rejects, {
        contentType: 'application/gzip',
      })
      bytes += staged.rejects.length
    }
  }
  return { ...stageSummaryOf(output), bytes }
}

/** Removes every staging object of a run (what a crashed or finished attempt left behind). */
export async function clearRunStaging({
  store,
  dt,
  runId,
}: {
  store: LakeStore
  dt: Dt
  runId: RunId
}): Promise<void> {
  const keys: string[] = []
  for (const table of LAKE_TABLE_NAMES) {
    keys.push(...(await store.listKeys(lakeKeys.stagingRunPrefix({ table, dt, runId }))))
    keys.push(...(await store.listKeys(lakeKeys.stagingRejectedRunPrefix({ table, dt, runId }))))
  }
  await store.deleteMany(keys)
}
