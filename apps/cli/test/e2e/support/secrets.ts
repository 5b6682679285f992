/**
 * @module The e2e scan for tokens: every token and code the fake Spotify ever issued, looked for in the
 * Workers' log, every object of the lake (gzip opened, Parquet read row by row), the files the stack
 * left (wrangler's Durable Object and queue storage included: the broker keeps tokens sealed) and the
 * repository's files.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzip, type LakeStore } from '@spotify-lake/lake-store'
import { PARQUET_DECOMPRESSORS } from '@spotify-lake/transformer'
import { parquetReadObjects } from 'hyparquet'
import { REPO_ROOT } from '../../../src/local/pipeline.ts'

/** Where each secret was found (`place: secret prefix`); empty when none was. */
export interface Findings {
  places: string[]
  /** How much was looked at, so an empty result is no empty scan. */
  scanned: { objects: number; files: number; bytes: number }
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else if (entry.isFile()) yield path
  }
}

const bigIntSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)

/** The text of an object as a reader of the lake would see it: gzip opened, Parquet as rows of JSON. */
async function objectText(key: string, bytes: Uint8Array): Promise<string> {
  if (key.endsWith('.gz')) return new TextDecoder().decode(await gunzip(bytes))
  if (key.endsWith('.parquet')) {
    const rows = await parquetReadObjects({
      file: bytes.slice().buffer as ArrayBuffer,
      compressors: PARQUET_DECOMPRESSORS,
    })
    return JSON.stringify(rows, bigIntSafe)
  }
  return new TextDecoder().decode(bytes)
}

export async function scanForSecrets({
  secrets,
  store,
  dirs = [],
  repo = false,
}: {
  secrets: readonly string[]
  /** The lake's bucket (its server must be up). */
  store?: LakeStore
  /** Folders whose every file is read as bytes (the stack's state: logs, wrangler's storage). */
  dirs?: readonly string[]
  /** Also the repository's files. */
  repo?: boolean
}): Promise<Findings> {
  const places: string[] = []
  const scanned = { objects: 0, files: 0, bytes: 0 }
  const look = (place: string, text: string) => {
    scanned.bytes += text.length
    for (const secret of secrets)
      if (text.includes(secret)) places.push(`${place}: ${secret.slice(0, 10)}...`)
  }
  for (const key of store ? await store.listKeys('') : []) {
    const bytes = await store?.get(key)
    if (!bytes) continue
    scanned.objects++
    look(`s3://${key}`, await objectText(key, bytes))
  }
  for (const dir of dirs) {
    for (const file of files(dir)) {
      if (statSync(file).size > 50_000_000) continue
      scanned.files++
      look(file, readFileSync(file).toString('latin1'))
    }
  }
  if (!repo) return { places, scanned }
  // The repository: every tracked file and every untracked one git does not ignore.
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
  for (const file of listed.split('\0').filter(Boolean)) {
    const path = join(REPO_ROOT, file)
    try {
      if (statSync(path).size > 20_000_000) continue
      scanned.files++
      look(`repo:${file}`, readFileSync(path).toString('latin1'))
    } catch {
      // Deleted in the work tree but still tracked: nothing to read.
    }
  }
  return { places, scanned }
}
