/** @module Test helpers: an export file or zip as chunks, everything a read yields as one list. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ExportItem, readExport } from '../../src/index.ts'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures')

/** `bytes` in chunks of `size` (small chunks split records, strings and multi-byte characters). */
export async function* chunked(bytes: Uint8Array, size = 97): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size)
}

export async function readAll(name: string, bytes: Uint8Array, size?: number): Promise<ExportItem[]> {
  const items: ExportItem[] = []
  for await (const batch of readExport({ name, chunks: chunked(bytes, size) })) items.push(...batch)
  return items
}

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, path)))
}
