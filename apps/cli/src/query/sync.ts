/** @module Incremental mirror of the lake's `tables/` objects into a local folder, for DuckDB (httpfs is not available offline). */
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { LakeStore } from '@spotify-lake/lake-store'

/** Objects the cache mirrors: every compacted table file (`tables/<table>/dt=.../<run_id>.parquet`). */
export const SYNC_PREFIX = 'tables/'

/** Kept beside the mirrored files; records what each local file was downloaded as. */
export const CACHE_INDEX_FILE = '.sync-index.json'

interface CacheIndex {
  version: 1
  /** The source the files came from: another endpoint or bucket means nothing in the cache is trusted. */
  source: string
  objects: Record<string, { size: number; etag: string | null }>
}

export interface SyncReport {
  downloaded: number
  unchanged: number
  removed: number
  /** Bytes downloaded by this sync. */
  bytes: number
  /** Objects the cache holds after the sync. */
  objects: number
}

export interface SyncLakeOptions {
  store: LakeStore
  /** `endpoint/bucket`, recorded in the index so a cache is never mixed across lakes. */
  source: string
  cacheDir: string
  prefix?: string
  concurrency?: number
}

/** An object key as a path inside the cache, refusing keys that would escape it. */
function localPath(cacheDir: string, key: string): string {
  const parts = key.split('/')
  if (key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new Error(`refusing to mirror an object with an unsafe key: ${JSON.stringify(key)}`)
  }
  return join(cacheDir, ...parts)
}

async function readIndex(cacheDir: string, source: string): Promise<CacheIndex> {
  const empty: CacheIndex = { version: 1, source, objects: {} }
  let text: string
  try {
    text = await readFile(join(cacheDir, CACHE_INDEX_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty
    throw error
  }
  try {
    const index = JSON.parse(text) as CacheIndex
    return index.version === 1 && index.source === source && typeof index.objects === 'object' ? index : empty
  } catch {
    // A torn or hand-edited index only costs a full download.
    return empty
  }
}

/** Every file under `folder`, as cache-relative keys with `/` separators. */
async function localFiles(cacheDir: string, folder: string): Promise<string[]> {
  let entries: string[]
  try {
    entries = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries.map((path) => relative(cacheDir, path).split(sep).join('/'))
}

/** Removes now-empty folders below `folder` (deepest first), keeping `folder` itself. */
async function pruneEmptyFolders(folder: string): Promise<void> {
  let entries: string[]
  try {
    entries = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => join(e.parentPath, e.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  for (const dir of entries.sort((a, b) => b.length - a.length)) {
    await rmdir(dir).catch(() => undefined)
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size
  } catch {
    return null
  }
}

/**
 * Brings `cacheDir` in line with the objects under `prefix`: downloads objects that are new or whose
 * size or ETag changed (or whose local file went missing), deletes local files whose objects are gone,
 * and leaves the rest alone. Files are written to a temp name and renamed, so a crash never leaves a
 * half-written Parquet file that a query would read.
 */
export async function syncLake({
  store,
  source,
  cacheDir,
  prefix = SYNC_PREFIX,
  concurrency = 4,
}: SyncLakeOptions): Promise<SyncReport> {
  const index = await readIndex(cacheDir, source)
  const remote = new Map<string, { size: number; etag: string | null }>()
  for await (const object of store.list(prefix)) {
    if (object.key.endsWith('/')) continue // folder markers some tools create
    localPath(cacheDir, object.key)
    remote.set(object.key, { size: object.size, etag: object.etag ?? null })
  }

  const report: SyncReport = { downloaded: 0, unchanged: 0, removed: 0, bytes: 0, objects: remote.size }
  const next: CacheIndex = { version: 1, source, objects: {} }
  const pending: string[] = []
  for (const [key, info] of remote) {
    const known = index.objects[key]
    const onDisk = await sizeOf(localPath(cacheDir, key))
    if (known && known.size === info.size && known.etag === info.etag && onDisk === info.size) {
      report.unchanged++
      next.objects[key] = known
    } else {
      pending.push(key)
    }
  }

  const download = async (key: string) => {
    const bytes = await store.get(key)
    if (bytes === null) return // deleted between list and get: treated as gone
    const path = localPath(cacheDir, key)
    await mkdir(dirname(path), { recursive: true })
    const temp = `${path}.${process.pid}.partial`
    await writeFile(temp, bytes)
    await rename(temp, path)
    const info = remote.get(key)!
    next.objects[key] = { size: bytes.length, etag: info.etag }
    report.downloaded++
    report.bytes += bytes.length
  }
  const queue = [...pending]
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) await download(key)
    }),
  )

  // Anything on disk under the prefix that the lake no longer has goes, indexed or not.
  const root = localPath(cacheDir, prefix.replace(/\/+$/, ''))
  for (const key of await localFiles(cacheDir, root)) {
    if (next.objects[key]) continue
    await rm(join(cacheDir, ...key.split('/')), { force: true })
    if (!key.endsWith('.partial')) report.removed++
  }
  await pruneEmptyFolders(root)
  report.objects = Object.keys(next.objects).length

  await mkdir(cacheDir, { recursive: true })
  const indexPath = join(cacheDir, CACHE_INDEX_FILE)
  const indexTemp = `${indexPath}.${process.pid}.partial`
  await writeFile(indexTemp, `${JSON.stringify(next, null, 2)}\n`)
  await rename(indexTemp, indexPath)
  return report
}
