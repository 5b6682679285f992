/**
 * @module The zstd codec of `@bokuweb/zstd-wasm` (zstd compiled to WebAssembly, MIT), started
 * synchronously from an already compiled `WebAssembly.Module`.
 *
 * Why not node:zlib's zstd: in workerd it throws "Unexpected end of file" as soon as the compressed
 * output passes its first 40 KiB chunk (cloudflare/workerd#6769). Why not the package's own `init()`:
 * it fetches or reads the `.wasm` file and compiles it at run time, which workerd forbids; the runtime
 * entries (`node.ts`, `workerd.ts`) hand over a module compiled the way their runtime allows.
 */

/**
 * The little of WebAssembly used here, typed locally: the packages that import this module (the CLI
 * among them) build with lib settings that lack the WebAssembly declarations.
 */
export type WasmModule = object
interface WasmInstance {
  exports: object
}
interface WasmApi {
  Instance: new (module: WasmModule, imports: object) => WasmInstance
  Module: new (bytes: Uint8Array) => WasmModule
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

/**
 * The emscripten runtime object of the package (its `module.js`): its instantiation hook and, once
 * started, the zstd C functions and the WebAssembly memory the package exports.
 */
export interface ZstdRuntime {
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => unknown) => object
  init: (path?: unknown) => unknown
  HEAPU8?: Uint8Array
  _malloc?: (size: number) => number
  _free?: (pointer: number) => void
  _ZSTD_isError?: (code: number) => number
  _ZSTD_compressBound?: (size: number) => number
  _ZSTD_createCCtx?: () => number
  _ZSTD_createDCtx?: () => number
  /** `(cctx, dst, dstCapacity, src, srcSize, dict, dictSize, level)`: a frame, or an error code. */
  _ZSTD_compress_usingDict?: (...args: number[]) => number
  /** `(dctx, dst, dstCapacity, src, srcSize, dict, dictSize)`: the size written, or an error code. */
  _ZSTD_decompress_usingDict?: (...args: number[]) => number
}

export interface Zstd {
  /** A complete zstd frame of `input` at `level` (1-22; 3 is zstd's default). */
  compress(input: Uint8Array, level?: number): Uint8Array
  /** The bytes of a frame; `size` is what the frame decompresses to (Parquet pages record it). */
  decompress(input: Uint8Array, size: number): Uint8Array
}

/** Functions of the runtime that `startZstd` needs, present once the runtime started. */
function exported<K extends keyof ZstdRuntime>(runtime: ZstdRuntime, name: K): NonNullable<ZstdRuntime[K]> {
  const value = runtime[name]
  if (!value) throw new Error(`zstd-wasm runtime lacks ${String(name)}`)
  return value as NonNullable<ZstdRuntime[K]>
}

/**
 * A region of WebAssembly memory kept between calls and grown on demand: a Parquet file is written
 * page by page, hundreds of calls per raw object, and a malloc/free pair per call showed in profiles.
 */
function scratch(runtime: ZstdRuntime) {
  const malloc = exported(runtime, '_malloc')
  const free = exported(runtime, '_free')
  let pointer = 0
  let capacity = 0
  return (size: number): number => {
    if (size > capacity) {
      if (pointer) free(pointer)
      capacity = Math.max(size, capacity * 2, 64 * 1024)
      pointer = malloc(capacity)
      if (!pointer) throw new Error(`zstd: out of WebAssembly memory for ${capacity} bytes`)
    }
    return pointer
  }
}

/**
 * Instantiates the runtime on `wasm` (synchronously: the runtime is ready when this returns).
 *
 * Compression and decompression each reuse one zstd context (`ZSTD_CCtx`, `ZSTD_DCtx`) and one
 * input and one output region of WebAssembly memory. The package's `compress` makes a context per
 * call (`ZSTD_compress`): it allocates and initialises the match tables for every page, which cost
 * about a third of the zstd time of a raw object's small pages. The frames are the same bytes
 * (`ZSTD_compress` is `ZSTD_compressCCtx` on a fresh context; a reused one only skips that set-up).
 */
export function startZstd({ runtime, wasm }: { runtime: ZstdRuntime; wasm: WasmModule }): Zstd {
  runtime.instantiateWasm = (imports, receive) => {
    const instance = new wasmApi.Instance(wasm, imports)
    receive(instance)
    return instance.exports
  }
  runtime.init()
  const isError = exported(runtime, '_ZSTD_isError')
  const bound = exported(runtime, '_ZSTD_compressBound')
  const compressWith = exported(runtime, '_ZSTD_compress_usingDict')
  const decompressWith = exported(runtime, '_ZSTD_decompress_usingDict')
  const cctx = exported(runtime, '_ZSTD_createCCtx')()
  const dctx = exported(runtime, '_ZSTD_createDCtx')()
  const source = scratch(runtime)
  const target = scratch(runtime)
  // Read after each allocation: growing the memory replaces the runtime's view of it.
  const heap = () => exported(runtime, 'HEAPU8')
  return {
    compress(input, level = 3) {
      const capacity = bound(input.length)
      const dst = target(capacity)
      const src = source(input.length)
      heap().set(input, src)
      const size = compressWith(cctx, dst, capacity, src, input.length, 0, 0, level)
      if (isError(size)) throw new Error(`zstd: compression failed (code ${size})`)
      return heap().slice(dst, dst + size)
    },
    decompress(input, size) {
      const dst = target(size)
      const src = source(input.length)
      heap().set(input, src)
      const written = decompressWith(dctx, dst, size, src, input.length, 0, 0)
      if (isError(written)) throw new Error(`zstd: decompression failed (code ${written})`)
      if (written !== size) throw new Error(`zstd: frame decompressed to ${written} bytes, not ${size}`)
      return heap().slice(dst, dst + written)
    },
  }
}
