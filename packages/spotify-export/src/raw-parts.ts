/**
 * @module An upload cut into raw parts as it streams: each play file's records, less their personal
 * fields, as gzip JSON arrays of at most `partRecords` records (one per line). What POST /imports writes
 * to the raw zone; `readExport` reads a part back like the file it came from (`exportNameOfRawPart`).
 */
import { gzipSync } from 'fflate'
import { rawPartName } from './files.ts'
import { type ExportInput, readExport } from './parse.ts'

export interface RawPart {
  /** `rawPartName`: `<file>-<part>-<play file name>`. */
  name: string
  /** The play file in the upload. */
  path: string
  records: number
  /** Gzip of a JSON array, one record per line. */
  bytes: Uint8Array
}

/**
 * The upload's raw parts, in order. Memory: one part's records as text (a 10,000-record part of an
 * extended history is about 7 MB) and its gzip.
 * @throws ExportFormatError as `readExport` does (a broken file or zip): parts yielded before stay valid.
 */
export async function* rawPartsOf(
  input: ExportInput,
  { partRecords = 10_000 } = {},
): AsyncGenerator<RawPart> {
  const encoder = new TextEncoder()
  let file = -1
  let path = ''
  let part = 0
  let lines: string[] = []
  const cut = (): RawPart => {
    const bytes = gzipSync(encoder.encode(`[\n${lines.join(',\n')}\n]\n`), { level: 6 })
    const out = { name: rawPartName(file, part, path), path, records: lines.length, bytes }
    part++
    lines = []
    return out
  }
  for await (const batch of readExport(input)) {
    for (const item of batch) {
      if (item.type === 'file') {
        if (file >= 0 && (lines.length > 0 || part === 0)) yield cut()
        file++
        path = item.path
        part = 0
        continue
      }
      if (item.type === 'ignored') continue
      lines.push(JSON.stringify(item.type === 'play' ? item.record : item.reject.record))
      if (lines.length >= partRecords) yield cut()
    }
  }
  if (file >= 0 && (lines.length > 0 || part === 0)) yield cut()
}
