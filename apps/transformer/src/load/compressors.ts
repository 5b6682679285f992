/**
 * @module Parquet page codecs beyond SNAPPY (which hyparquet-writer has built in): ZSTD from WebAssembly
 * (`#zstd`: the Node or the workerd build, by the runtime's export condition) and GZIP from node:zlib
 * (nodejs_compat in workerd). Readers (compaction, tests) get the matching decompressors.
 */
import * as zlib from 'node:zlib'
import type { CompressionCodec } from 'hyparquet'
import { zstd } from '#zstd'

/** hyparquet-writer's codec map: one function per codec that compresses a page. */
export type Compressors = Partial<Record<CompressionCodec, (input: Uint8Array) => Uint8Array>>

/** hyparquet's codec map for reading: the page bytes and their decompressed size. */
export type Decompressors = Partial<
  Record<CompressionCodec, (input: Uint8Array, outputLength: number) => Uint8Array>
>

/** zstd's own default level: the bench's pick (size near DuckDB's zstd, time below SNAPPY in JS). */
export const ZSTD_LEVEL = 3

/** What the lake's writers can use. Parquet's GZIP codec is the gzip container, which `gzipSync` writes. */
export const PARQUET_COMPRESSORS: Compressors = {
  ZSTD: (input) => zstd.compress(input, ZSTD_LEVEL),
  GZIP: (input) => new Uint8Array(zlib.gzipSync(input)),
}

/** What the lake's readers need beyond hyparquet's built-in SNAPPY. */
export const PARQUET_DECOMPRESSORS: Decompressors = {
  ZSTD: (input, outputLength) => zstd.decompress(input, outputLength),
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
}
