/** @module The zstd binding (`src/load/zstd/`) in Node: reused contexts, the package's own frames, strict sizes. */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zstd } from '#zstd'

// The package's own one-shot functions (a fresh context per call), on the same runtime the binding started.
const require = createRequire(import.meta.url)
const dist = dirname(require.resolve('@bokuweb/zstd-wasm'))
const own = {
  compress: (
    require(join(dist, 'simple/compress.js')) as { compress: (b: Uint8Array, l: number) => Uint8Array }
  ).compress,
  decompress: (
    require(join(dist, 'simple/decompress.js')) as {
      decompress: (b: Uint8Array, o: { defaultHeapSize: number }) => Uint8Array
    }
  ).decompress,
}

/** Pages of many sizes, some barely compressible (xorshift32), some very, in an order that grows and shrinks. */
function pages(): Uint8Array[] {
  let x = 2463534242
  const noise = (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return x & 0xff
    })
  const text = (n: number) => new TextEncoder().encode('spotify:track:4uLU6hMCjMI75M1A2tKUQC,'.repeat(n))
  return [
    noise(0),
    noise(1),
    text(10),
    noise(300_000),
    text(20_000),
    noise(70),
    text(3),
    noise(1_200_000),
    text(1),
  ]
}

describe('zstd binding (Node)', () => {
  it('writes the frames the package writes with a context per call, and reads them back', () => {
    for (const level of [1, 3]) {
      for (const page of pages()) {
        const frame = zstd.compress(page, level)
        expect(frame).toEqual(own.compress(page, level))
        expect(zstd.decompress(frame, page.length)).toEqual(page)
        expect(own.decompress(frame, { defaultHeapSize: page.length })).toEqual(page)
      }
    }
  })

  it('refuses a frame that does not fill exactly the size the page records, and a corrupt one', () => {
    const page = new TextEncoder().encode('a page of text, '.repeat(100))
    const frame = zstd.compress(page, 3)
    expect(() => zstd.decompress(frame, page.length - 1)).toThrow(/decompression failed/)
    expect(() => zstd.decompress(frame, page.length + 1)).toThrow(/decompressed to 1600 bytes, not 1601/)
    expect(() => zstd.decompress(frame.subarray(0, frame.length - 4), page.length)).toThrow(
      /decompression failed/,
    )
    // the contexts are still good afterwards
    expect(zstd.decompress(frame, page.length)).toEqual(page)
  })
})
