/**
 * @module An import of a Spotify privacy export into the lake: stream the play files, judge each row
 * against the lake and the import itself, then write the plays table file, the rejects, the raw copy
 * (personal fields removed), run_tables and the run's manifest. Nothing is written before every input
 * was read whole, so a broken file leaves the lake as it was.
 */
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  type Dt,
  LAKE_TABLE_NAMES,
  lakeKeys,
  newRunId,
  type PlayRow,
  playsTable,
  type RunId,
  type RunManifest,
  RunManifestSchema,
} from '@spotify-lake/schemas'
import {
  countsReconcile,
  type ExportInput,
  emptyCounts,
  type ImportCounts,
  ImportLedger,
  rawPartName,
  readExport,
  toPlayRowOfExport,
} from '@spotify-lake/spotify-export'
import {
  createTableWriter,
  encodeRejects,
  NOT_EXTRACTED,
  type RejectRecord,
  writeRunTables,
} from '@spotify-lake/transformer'
import { readLakeState } from './lake-state.ts'
import { RawCopy } from './raw-copy.ts'

/** Rows per Parquet row group of the written file (the transformer's compaction uses the same order of size). */
const ROW_GROUP = 10_000

export interface ImportProgress {
  file: string
  /** Records read so far, over every file. */
  records: number
}

export interface ImportResult {
  runId: RunId
  dt: Dt
  accountId: string
  counts: ImportCounts
  /** records = written + duplicates + already in the lake + rejects. */
  reconciled: boolean
  status: 'succeeded' | 'partial'
  /** What was written: the plays file (null when nothing was new), rejects, raw copies, manifest. */
  keys: { table: string | null; rejected: string | null; raw: string[]; manifest: string }
  /** Zip entries that hold no plays, never read. */
  ignored: string[]
}

export interface ImportExportOptions {
  store: LakeStore
  inputs: readonly ExportInput[]
  /** The account the plays are of; null: the one account the lake knows (an error with none or several). */
  accountId: string | null
  /** When the import started (its run id's time, the rows' `_extracted_at`). */
  now?: Date
  /** The run id (POST /imports chose one when it wrote raw); new by default. */
  runId?: RunId
  /** Write the sanitised raw copy of each play file (the CLI); false when raw already holds the input. */
  writeRaw?: boolean
  onProgress?: (progress: ImportProgress) => void
  /** Records between two progress reports. */
  progressEvery?: number
}

/** Thrown for an import that cannot start: no account to import for. */
export class ImportError extends Error {
  override name = 'ImportError'
}

/**
 * Imports `inputs` (zips or play files) for one account.
 * @throws ExportFormatError for a file that is not what its name says (nothing written);
 *   ImportError when the account is not given and the lake does not name exactly one.
 */
export async function importExport({
  store,
  inputs,
  accountId: requested,
  now = new Date(),
  runId = newRunId({ now }),
  writeRaw = true,
  onProgress,
  progressEvery = 10_000,
}: ImportExportOptions): Promise<ImportResult> {
  const dt = now.toISOString().slice(0, 10) as Dt
  const state = await readLakeState(store, requested, runId)
  let accountId = requested
  if (accountId === null) {
    if (state.accounts.size !== 1)
      throw new ImportError(
        state.accounts.size === 0
          ? 'the lake knows no account yet: name the one these plays are of with --account <id> (GET /me account_id, or your user id)'
          : `the lake has several accounts (${[...state.accounts].sort().join(', ')}): choose one with --account <id>`,
      )
    accountId = [...state.accounts][0] as string
    Object.assign(state, await readLakeState(store, accountId, runId))
  }
  const account = accountId
  const counts = emptyCounts()
  const ledger = new ImportLedger((key) => state.playKeys.has(key))
  const writer = createTableWriter({ table: playsTable })
  let pending: PlayRow[] = []
  const rejects: RejectRecord[] = []
  const raw: { name: string; copy: RawCopy }[] = []
  const ignored: string[] = []
  const lineage = { accountId: account, runId, extractedAt: now, tracks: state.tracks }
  const reject = (
    path: string,
    index: number,
    reason: RejectRecord['reason'],
    detail: string,
    record: unknown,
  ) => {
    rejects.push({ table: 'plays', reason, detail, source: path, path: `[${index}]`, runId, record })
    counts.rejects[reason] = (counts.rejects[reason] ?? 0) + 1
  }

  for (const input of inputs) {
    let copy: RawCopy | null = null
    for await (const batch of readExport(input)) {
      for (const item of batch) {
        if (item.type === 'ignored') {
          ignored.push(item.path)
          continue
        }
        if (item.type === 'file') {
          counts.files++
          if (writeRaw) {
            copy = new RawCopy()
            raw.push({ name: rawPartName(raw.length, 0, item.path), copy })
          }
          onProgress?.({ file: item.path, records: counts.records })
          continue
        }
        counts.records++
        if (counts.records % progressEvery === 0) onProgress?.({ file: item.path, records: counts.records })
        if (item.type === 'reject') {
          copy?.line(item.reject.record)
          reject(item.path, item.index, item.reject.reason, item.reject.detail, item.reject.record)
          continue
        }
        copy?.line(item.record)
        const { row, match } = toPlayRowOfExport(item.play, lineage)
        if (match) counts.byName[match]++
        const verdict = ledger.judge(row)
        if (verdict === 'duplicate') counts.duplicates++
        else if (verdict === 'in_lake') counts.alreadyInLake++
        else if (verdict === 'conflict')
          reject(
            item.path,
            item.index,
            'duplicate_conflict',
            'a play of the same key with other values came earlier in this import',
            item.record,
          )
        else {
          counts.written++
          counts.bySource[row.source] = (counts.bySource[row.source] ?? 0) + 1
          pending.push(row)
          if (pending.length >= ROW_GROUP) {
            writer.append(pending)
            pending = []
          }
        }
      }
    }
  }
  writer.append(pending)

  const tableKey = counts.written > 0 ? lakeKeys.table({ table: 'plays', dt, runId }) : null
  const rejectedKey = rejects.length > 0 ? lakeKeys.rejected({ table: 'plays', dt, runId }) : null
  const rawKeys = writeRaw ? raw.map(({ name }) => lakeKeys.rawImport({ dt, runId, file: name })) : []
  const tableBytes = writer.finish()
  for (const [i, key] of rawKeys.entries())
    await store.put(key, (raw[i] as { copy: RawCopy }).copy.finish(), { contentType: 'application/gzip' })
  if (tableKey) await store.put(tableKey, tableBytes)
  if (rejectedKey)
    await store.put(rejectedKey, await encodeRejects(rejects), { contentType: 'application/gzip' })

  const reconciled = countsReconcile(counts)
  const rejected = rejects.length
  const status = rejected > 0 ? 'partial' : 'succeeded'
  const completeness = Object.fromEntries(
    LAKE_TABLE_NAMES.map((t) => [
      t,
      t === 'plays'
        ? { complete: reconciled, reason: reconciled ? null : 'the counts do not reconcile' }
        : { complete: false, reason: NOT_EXTRACTED },
    ]),
  ) as Parameters<typeof writeRunTables>[0]['completeness']
  await writeRunTables({
    store,
    dt,
    runId,
    createdAt: now.toISOString(),
    status,
    completeness,
    tables: { plays: { rows: counts.written, rejected } },
  })
  const finishedAt = new Date().toISOString()
  const manifest: RunManifest = {
    v: 1,
    runId,
    dt,
    status,
    trigger: 'import',
    force: false,
    createdAt: now.toISOString(),
    updatedAt: finishedAt,
    finishedAt,
    units: {},
    accounts: {},
    warnings: [],
    possibleGaps: [],
    api: RunManifestSchema.shape.api.parse(undefined),
    tables: {
      plays: {
        rows: counts.written,
        rejected,
        duplicates: counts.duplicates + counts.alreadyInLake,
        bytes: tableKey ? tableBytes.byteLength : 0,
        ...(tableKey ? { key: tableKey } : {}),
        complete: reconciled,
      },
    },
    rejects: counts.rejects,
    reconciliation: {
      itemsSeen: counts.records,
      rowsWritten: counts.written,
      rowsRejected: rejected,
      ok: reconciled,
    },
    timings: { importMs: Date.now() - now.getTime() },
    errors: [],
  }
  const manifestKey = lakeKeys.manifest(runId)
  await store.put(manifestKey, JSON.stringify(manifest, null, 2), { contentType: 'application/json' })
  return {
    runId,
    dt,
    accountId: account,
    counts,
    reconciled,
    status,
    keys: { table: tableKey, rejected: rejectedKey, raw: rawKeys, manifest: manifestKey },
    ignored,
  }
}
