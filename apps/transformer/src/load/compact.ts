/** @module Compaction of one table: staging parts -> one Parquet file, deduplicated on the primary key, row group by row group. */
import { gunzip, gzip, type LakeStore } from '@spotify-lake/lake-store'
import {
  type Dt,
  folderOwning,
  type LakeTableName,
  lakeKeys,
  lakeTable,
  primaryKeyOf,
  type RunId,
} from '@spotify-lake/schemas'
import { type FileMetaData, parquetMetadata, parquetReadObjects } from 'hyparquet'
import type { Row } from '../normalize/collector.ts'
import { PARQUET_DECOMPRESSORS } from './compressors.ts'
import { createTableWriter, DUPLICATES_METADATA_KEY, type ParquetOptions, ROW_GROUP_SIZE } from './parquet.ts'

/** The part name of a staging key (`.../<folder>.<unit>.parquet`). */
function partOf(key: string): string {
  return (key.split('/').at(-1) ?? '').replace(/\.parquet$/, '')
}

interface Winner {
  rank: number
  extractedAt: number
  file: number
  row: number
}

/**
 * The deterministic winner among rows with one key: a row from the table's own source (a full
 * object) beats an embedded copy; then the latest `_extracted_at`; then the later part (key order)
 * and the later row. Independent of the order messages were processed in.
 */
function beats(a: Winner, b: Winner): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank
  if (a.extractedAt !== b.extractedAt) return a.extractedAt > b.extractedAt
  if (a.file !== b.file) return a.file > b.file
  return a.row > b.row
}

export interface CompactTableResult {
  table: LakeTableName
  /** The table file written, or null when no rows were staged (a stale file is removed). */
  key: string | null
  rows: number
  stagedRows: number
  /** Dropped by primary-key dedup: here across parts, plus what each raw object dropped before staging. */
  duplicates: number
  /** The part of `duplicates` dropped at transform time (recorded in each staging file's footer). */
  stagedDuplicates: number
  bytes: number
  stagingKeys: string[]
}

interface StagedFile {
  key: string
  metadata: FileMetaData
  bytes: ArrayBuffer | null
}

/**
 * Pass 1 reads only the key columns of every staging file to pick winners; pass 2 streams each
 * file row group by row group into the output writer. Memory: the key index (one entry per
 * distinct key), one row group of input and output, staging files kept between passes up to
 * `cacheBytes`, and the compressed output file.
 */
export async function compactTable({
  store,
  table: name,
  dt,
  runId,
  rowGroupSize = ROW_GROUP_SIZE,
  cacheBytes = 24 * 1024 * 1024,
  expectRows,
  ...parquet
}: ParquetOptions & {
  store: LakeStore
  table: LakeTableName
  dt: Dt
  runId: RunId
  rowGroupSize?: number
  cacheBytes?: number
  /** Rows the transforms staged; with none found but some expected, an existing table file is kept. */
  expectRows?: number
}): Promise<CompactTableResult> {
  const table = lakeTable(name)
  const primaryKey = table.primaryKey as readonly string[]
  const stagingKeys = (await store.listKeys(lakeKeys.stagingRunPrefix({ table: name, dt, runId }))).sort()
  const tableKey = lakeKeys.table({ table: name, dt, runId })

  const files: StagedFile[] = []
  const winners = new Map<string, Winner>()
  let stagedRows = 0
  let stagedDuplicates = 0
  let cached = 0
  for (const [file, key] of stagingKeys.entries()) {
    const bytes = await fetchBuffer(store, key)
    const metadata = parquetMetadata(bytes)
    const noted = metadata.key_value_metadata?.find((kv) => kv.key === DUPLICATES_METADATA_KEY)?.value
    stagedDuplicates += Number(noted ?? 0)
    // Rows from the folder that describes the table's entities in full beat embedded copies.
    const owner = folderOwning(name)
    const rank = owner !== null && partOf(key).startsWith(`${owner}.`) ? 1 : 0
    const rows = await parquetReadObjects({
      file: bytes,
      metadata,
      columns: [...primaryKey, '_extracted_at'],
      compressors: PARQUET_DECOMPRESSORS,
    })
    rows.forEach((row, i) => {
      const candidate = { rank, extractedAt: (row._extracted_at as Date).getTime(), file, row: i }
      const id = primaryKeyOf(row, primaryKey)
      const current = winners.get(id)
      if (!current || beats(candidate, current)) winners.set(id, candidate)
    })
    stagedRows += rows.length
    const keep = cached + bytes.byteLength <= cacheBytes
    if (keep) cached += bytes.byteLength
    files.push({ key, metadata, bytes: keep ? bytes : null })
  }

  if (winners.size === 0) {
    // An empty rebuild removes a stale file, but never when rows were expected: staging gone
    // (a concurrent finalize already cleaned up) must not wipe the table it produced.
    if (!expectRows) await deleteIfPresent(store, tableKey)
    return {
      table: name,
      key: null,
      rows: 0,
      stagedRows,
      duplicates: 0,
      stagedDuplicates,
      bytes: 0,
      stagingKeys,
    }
  }

  const writer = createTableWriter({ table, ...parquet })
  const pending: Row[] = []
  for (const [file, staged] of files.entries()) {
    const bytes = staged.bytes ?? (await fetchBuffer(store, staged.key))
    staged.bytes = null
    let rowStart = 0
    for (const group of staged.metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows)
      const rows = await parquetReadObjects({
        file: bytes,
        metadata: staged.metadata,
        rowStart,
        rowEnd,
        compressors: PARQUET_DECOMPRESSORS,
      })
      rows.forEach((row, i) => {
        const winner = winners.get(primaryKeyOf(row, primaryKey))
        if (winner && winner.file === file && winner.row === rowStart + i) pending.push(row)
      })
      rowStart = rowEnd
      while (pending.length >= rowGroupSize) writer.append(pending.splice(0, rowGroupSize))
    }
  }
  writer.append(pending)
  const out = writer.finish()
  await store.put(tableKey, out, { contentType: 'application/vnd.apache.parquet' })
  return {
    table: name,
    key: tableKey,
    rows: writer.rows,
    stagedRows,
    duplicates: stagedRows - writer.rows + stagedDuplicates,
    stagedDuplicates,
    bytes: out.length,
    stagingKeys,
  }
}

/**
 * Removes a file an earlier build of the same run wrote (a replay that now yields nothing for it). A key
 * that was never written is left alone: the transformer deletes only what exists, and S3 refuses a
 * DeleteObject the caller's policy does not allow even when the key does not exist.
 */
async function deleteIfPresent(store: LakeStore, key: string): Promise<void> {
  if (await store.head(key)) await store.delete(key)
}

async function fetchBuffer(store: LakeStore, key: string): Promise<ArrayBuffer> {
  const bytes = await store.get(key)
  if (!bytes) throw new Error(`staging object vanished during compaction: ${key}`)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

export interface MergeRejectsResult {
  table: LakeTableName
  key: string | null
  rejected: number
  byReason: Record<string, number>
  bytes: number
  stagingKeys: string[]
}

/** Concatenates the staged reject parts of a table into `rejected/<table>/dt=.../<run_id>.jsonl.gz`. */
export async function mergeRejects({
  store,
  table,
  dt,
  runId,
}: {
  store: LakeStore
  table: LakeTableName
  dt: Dt
  runId: RunId
}): Promise<MergeRejectsResult> {
  const stagingKeys = (await store.listKeys(lakeKeys.stagingRejectedRunPrefix({ table, dt, runId }))).sort()
  const key = lakeKeys.rejected({ table, dt, runId })
  const byReason: Record<string, number> = {}
  const chunks: string[] = []
  let rejected = 0
  for (const part of stagingKeys) {
    const bytes = await store.get(part)
    if (!bytes) throw new Error(`staging object vanished during compaction: ${part}`)
    const text = new TextDecoder().decode(await gunzip(bytes))
    for (const line of text.split('\n')) {
      if (!line) continue
      const { reason } = JSON.parse(line) as { reason: string }
      byReason[reason] = (byReason[reason] ?? 0) + 1
      rejected++
    }
    chunks.push(text)
  }
  if (rejected === 0) {
    await deleteIfPresent(store, key)
    return { table, key: null, rejected, byReason, bytes: 0, stagingKeys }
  }
  const out = await gzip(chunks.join(''))
  await store.put(key, out, { contentType: 'application/gzip' })
  return { table, key, rejected, byReason, bytes: out.length, stagingKeys }
}
