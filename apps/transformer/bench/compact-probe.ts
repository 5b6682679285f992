/** @module Child process of the bench: compaction of a staged day under a V8 heap cap; exit 0 = it fits. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { LakeStore } from '@spotify-lake/lake-store'
import { finalizeRun } from '../src/run/finalize.ts'

const [dir, runId, dt] = process.argv.slice(2) as [string, string, string]

/** Staging objects as files; their bytes are ArrayBuffers, outside the capped JS heap (as fetched bodies are). */
const objects = new Map<string, Uint8Array>()
const walk = (at: string) => {
  for (const entry of readdirSync(at, { withFileTypes: true })) {
    const path = join(at, entry.name)
    if (entry.isDirectory()) walk(path)
    else objects.set(relative(dir, path), new Uint8Array(readFileSync(path)))
  }
}
walk(dir)

/** Just the calls compaction makes, over the map. */
const store = {
  bucket: 'probe',
  async listKeys(prefix: string) {
    return [...objects.keys()].filter((k) => k.startsWith(prefix)).sort()
  },
  async get(key: string) {
    return objects.get(key) ?? null
  },
  async head(key: string) {
    const body = objects.get(key)
    return body ? { key, size: body.length } : null
  },
  async put(key: string, body: Uint8Array) {
    objects.set(key, body)
  },
  async delete(key: string) {
    objects.delete(key)
  },
} as unknown as LakeStore

const result = await finalizeRun({ store, dt, runId })
if (!result.reconciliation.ok) process.exit(2)
