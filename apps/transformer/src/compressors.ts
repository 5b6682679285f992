/** @module Extra Parquet codecs from node:zlib (nodejs_compat in workerd); SNAPPY needs none, it is built into hyparquet-writer. */
import * as zlib from 'node:zlib'
import type { CompressionCodec } from 'hyparquet'

/** hyparquet-writer's codec map: one function per codec that compresses a page. */
export type Compressors = Partial<Record<CompressionCodec, (input: Uint8Array) => Uint8Array>>

/** A complete zstd frame holding zero bytes: workerd's zstdCompressSync throws on empty input. */
const EMPTY_ZSTD_FRAME = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00])

/**
 * GZIP always; ZSTD only where the runtime's zlib has it (Node >= 22.15, workerd with nodejs_compat).
 * Parquet's GZIP codec is the gzip container, which `gzipSync` writes.
 */
export function zlibCompressors(): Compressors {
  const compressors: Compressors = { GZIP: (input) => new Uint8Array(zlib.gzipSync(input)) }
  const zstd = (zlib as { zstdCompressSync?: (input: Uint8Array) => Uint8Array }).zstdCompressSync
  if (typeof zstd === 'function') {
    compressors.ZSTD = (input) =>
      input.length === 0 ? EMPTY_ZSTD_FRAME.slice() : new Uint8Array(zstd(input))
  }
  return compressors
}
