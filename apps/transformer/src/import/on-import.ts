/** @module The TRANSFORM queue's `import` message: the raw parts POST /imports wrote, imported into `plays`. */
import type { LakeStore } from '@spotify-lake/lake-store'
import { type ImportMessage, lakeKeys, runIdTime } from '@spotify-lake/schemas'
import { type ExportInput, exportNameOfRawPart } from '@spotify-lake/spotify-export'
import { type ImportResult, importExport } from './import-export.ts'

/** A gzip object of the lake, inflated as a stream (memory: the compressed part and one inflated chunk). */
async function* inflated(store: LakeStore, key: string): AsyncGenerator<Uint8Array> {
  const bytes = await store.get(key)
  if (!bytes) throw new Error(`raw part not found: ${key}`)
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

/**
 * Imports the message's raw parts for its account, under its run id (the rows, rejects, run_tables and
 * manifest of that run). Idempotent: a finished manifest means a redelivery, which does nothing; a
 * retry after a partial write rewrites the same keys (the run's own plays file is not "in the lake").
 */
export async function onImport(message: ImportMessage, store: LakeStore): Promise<ImportResult | null> {
  const existing = await store.get(lakeKeys.manifest(message.runId))
  if (existing && JSON.parse(new TextDecoder().decode(existing)).finishedAt) return null
  const inputs: ExportInput[] = message.rawKeys.map((key) => ({
    name: exportNameOfRawPart(key),
    chunks: inflated(store, key),
  }))
  return importExport({
    store,
    inputs,
    accountId: message.accountId,
    runId: message.runId,
    now: runIdTime(message.runId),
    writeRaw: false,
  })
}
