/** @module ZSTD inside workerd: the WebAssembly codec past the 40 KiB where node:zlib's zstd fails (workerd#6769). */

import { fromParquetRows, lakeTable } from '@spotify-lake/schemas'
import { parquetReadObjects } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { zstd } from '#zstd'
import { PARQUET_DECOMPRESSORS } from '../../src/load/compressors.ts'
import { writeTableParquet } from '../../src/load/parquet.ts'

describe('zstd in workerd', () => {
  it('round-trips a page whose compressed size is far past 40 KiB', () => {
    // Pseudo-random bytes (xorshift32) barely compress, so the frame is big.
    const input = new Uint8Array(512 * 1024)
    let x = 2463534242
    for (let i = 0; i < input.length; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      input[i] = x & 0xff
    }
    const frame = zstd.compress(input, 3)
    expect(frame.length).toBeGreaterThan(40 * 1024)
    expect(zstd.decompress(frame, input.length)).toEqual(input)
  })

  it('round-trips pages of many sizes through its reused contexts, and refuses a wrong size', () => {
    const text = (n: number) => new TextEncoder().encode('spotify:track:4uLU6hMCjMI75M1A2tKUQC,'.repeat(n))
    // grows and shrinks, so the scratch memory is reallocated between calls
    for (const n of [0, 1, 30_000, 5, 200_000, 2, 60_000]) {
      const page = text(n)
      const frame = zstd.compress(page, 3)
      expect(zstd.decompress(frame, page.length)).toEqual(page)
    }
    const page = text(100)
    expect(() => zstd.decompress(zstd.compress(page, 3), page.length + 1)).toThrow(/not 3701/)
  })

  it('writes a ZSTD Parquet file that reads back row for row', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      artist_id: `artist${i}`,
      name: `Name ${i % 997} ${'x'.repeat(i % 13)}`,
      uri: `spotify:artist:artist${i}`,
      genres: i % 3 ? ['indie', `g${i % 17}`] : null,
      popularity: i % 101,
      followers: i * 31,
      image_url: null,
      _run_id: 'run',
      _extracted_at: new Date(1_700_000_000_000 + i),
    }))
    const bytes = writeTableParquet({ table: lakeTable('artists'), rows, codec: 'ZSTD' })
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const back = await parquetReadObjects({ file, compressors: PARQUET_DECOMPRESSORS })
    expect(fromParquetRows(lakeTable('artists'), back)).toEqual(rows)
  })
})
