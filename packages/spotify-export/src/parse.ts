/**
 * @module Streaming parse of export files and zips: bytes in, plays and rejects out, chunk by chunk.
 * Never holds a whole file: memory is one input chunk, the record being parsed and the items it yields.
 * `@streamparser/json` parses (dependency-free, runs in workerd and Node), `fflate` unzips (pure JS).
 */
import { JSONParser } from '@streamparser/json'
import { Unzip, UnzipInflate } from 'fflate'
import { type ExportFileKind, exportFileKind } from './files.ts'
import { withoutPersonalFields } from './personal.ts'
import { type ExportPlay, type ExportReject, toExportPlay } from './records.ts'

/** What reading an export yields, in file order. `index` is the record's position in its file (from 0). */
export type ExportItem =
  | { type: 'file'; path: string; kind: ExportFileKind }
  /** A file of the zip that holds no plays: never decompressed, never read. */
  | { type: 'ignored'; path: string }
  /** `record` is the record as the file has it, less its personal fields (what raw may keep). */
  | { type: 'play'; path: string; index: number; play: ExportPlay; record: unknown }
  | { type: 'reject'; path: string; index: number; reject: ExportReject }

/** A file that is not what its name says (not a JSON array, truncated, broken JSON, a bad zip). */
export class ExportFormatError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`)
    this.name = 'ExportFormatError'
  }
}

/** Feeds one file's bytes to the JSON parser; each array element becomes a play or reject item. */
function createFileParser(path: string, kind: ExportFileKind, emit: (item: ExportItem) => void) {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false })
  let index = 0
  let first: number | null = null
  parser.onValue = ({ value }) => {
    const at = index++
    const outcome = toExportPlay(value, kind)
    if ('play' in outcome)
      emit({ type: 'play', path, index: at, play: outcome.play, record: withoutPersonalFields(value) })
    else emit({ type: 'reject', path, index: at, reject: outcome.reject })
  }
  emit({ type: 'file', path, kind })
  return {
    push(chunk: Uint8Array, final: boolean): void {
      try {
        if (first === null) {
          const at = chunk.findIndex(
            (b) =>
              b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf,
          )
          if (at >= 0) {
            first = chunk[at] ?? null
            if (first !== 0x5b) throw new Error('expected a JSON array of plays')
          }
        }
        if (chunk.byteLength > 0) parser.write(chunk)
        if (final) {
          if (first === null) throw new Error('empty file: expected a JSON array of plays')
          // The tokenizer ends itself at the array's close; `end()` is for a stream cut short.
          if (!parser.isEnded) parser.end()
        }
      } catch (error) {
        throw error instanceof ExportFormatError
          ? error
          : new ExportFormatError(path, error instanceof Error ? error.message : String(error))
      }
    },
  }
}

function startsLikeZip(chunk: Uint8Array): boolean {
  // PK\x03\x04 (a local file header) or PK\x05\x06 (an empty zip); a first chunk shorter than 4 bytes passes here.
  const sig = [0x50, 0x4b, 0x03, 0x04]
  const empty = [0x50, 0x4b, 0x05, 0x06]
  const head = [...chunk.subarray(0, 4)]
  return head.every((b, i) => b === sig[i]) || head.every((b, i) => b === empty[i])
}

/** The last bytes of a zip stream: the end-of-central-directory record is within its last 65,557 bytes. */
class ZipTail {
  static readonly SIZE = 22 + 0xffff
  seen = 0
  private buffer = new Uint8Array(0)
  push(chunk: Uint8Array): void {
    this.seen += chunk.byteLength
    const joined = new Uint8Array(Math.min(ZipTail.SIZE, this.buffer.byteLength + chunk.byteLength))
    const fromChunk = Math.min(chunk.byteLength, joined.byteLength)
    const fromBuffer = joined.byteLength - fromChunk
    joined.set(this.buffer.subarray(this.buffer.byteLength - fromBuffer), 0)
    joined.set(chunk.subarray(chunk.byteLength - fromChunk), fromBuffer)
    this.buffer = joined
  }
  hasEndRecord(): boolean {
    const b = this.buffer
    for (let i = b.byteLength - 22; i >= 0; i--) {
      if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
        const commentLength = (b[i + 20] ?? 0) | ((b[i + 21] ?? 0) << 8)
        if (i + 22 + commentLength === b.byteLength) return true
      }
    }
    return false
  }
}

/** Where the bytes of one input come from: a JSON file or a zip, by its name. */
export interface ExportInput {
  /** The file's name or path: `.zip` is read as a zip, anything else as one export file. */
  name: string
  chunks: AsyncIterable<Uint8Array>
}

/**
 * Reads one input (a zip, or one export file) and yields its items in batches, one batch per input
 * chunk, so a caller can await (write, report progress) between batches.
 * @throws ExportFormatError for a file that is no JSON array of records, or a broken zip; a file
 *   whose name says no plays (`Userdata.json`) as the input itself, too.
 */
export async function* readExport({ name, chunks }: ExportInput): AsyncGenerator<ExportItem[]> {
  let batch: ExportItem[] = []
  const emit = (item: ExportItem) => batch.push(item)
  if (/\.zip$/i.test(name)) {
    const unzip = new Unzip()
    unzip.register(UnzipInflate)
    const open = new Set<string>()
    unzip.onfile = (file) => {
      const kind = exportFileKind(file.name)
      if (kind === null || file.name.endsWith('/')) {
        if (!file.name.endsWith('/')) emit({ type: 'ignored', path: file.name })
        return
      }
      const parser = createFileParser(file.name, kind, emit)
      open.add(file.name)
      file.ondata = (error, data, final) => {
        if (error) throw new ExportFormatError(file.name, `cannot unzip: ${error.message}`)
        parser.push(data, final)
        if (final) open.delete(file.name)
      }
      file.start()
    }
    // fflate's streaming Unzip reads local headers only and stops quietly at bytes it does not know, so
    // the start and the end of the zip are checked here: a zip starts with a local header (or is an
    // empty zip), and a complete one ends with its end-of-central-directory record.
    const tail = new ZipTail()
    try {
      for await (const chunk of chunks) {
        if (tail.seen === 0 && chunk.byteLength > 0 && !startsLikeZip(chunk))
          throw new ExportFormatError(name, 'not a zip (it does not start with a zip header)')
        tail.push(chunk)
        unzip.push(chunk, false)
        if (batch.length > 0) yield batch
        batch = []
      }
      if (tail.seen === 0) throw new ExportFormatError(name, 'empty file: expected a zip')
      const cutShort = () => {
        const cut = [...open][0]
        if (cut !== undefined)
          throw new ExportFormatError(cut, 'the zip ends inside this file (truncated download?)')
      }
      try {
        unzip.push(new Uint8Array(0), true)
      } catch (error) {
        cutShort() // fflate's own words for this are "invalid zip data"
        throw error
      }
      cutShort()
      if (!tail.hasEndRecord())
        throw new ExportFormatError(
          name,
          'the zip is truncated (no end-of-central-directory record): download it again',
        )
    } catch (error) {
      if (error instanceof ExportFormatError) throw error
      throw new ExportFormatError(
        name,
        `not a readable zip: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    if (batch.length > 0) yield batch
    return
  }
  const kind = exportFileKind(name)
  if (kind === null)
    throw new ExportFormatError(
      name,
      'not a play file of a Spotify export (Streaming_History_Audio_*.json, Streaming_History_Video_*.json, endsong_*.json, StreamingHistory_music_*.json, StreamingHistory_podcast_*.json, StreamingHistory<n>.json) nor a .zip',
    )
  const parser = createFileParser(name, kind, emit)
  for await (const chunk of chunks) {
    parser.push(chunk, false)
    if (batch.length > 0) yield batch
    batch = []
  }
  parser.push(new Uint8Array(0), true)
  if (batch.length > 0) yield batch
}
