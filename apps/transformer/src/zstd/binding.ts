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

/** The emscripten runtime object of the package (its `module.js`). */
export interface ZstdRuntime {
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => unknown) => object
  init: (path?: unknown) => unknown
}

export interface Zstd {
  /** A complete zstd frame of `input` at `level` (1-22; 3 is zstd's default). */
  compress(input: Uint8Array, level?: number): Uint8Array
  /** The bytes of a frame; `size` is what the frame decompresses to (Parquet pages record it). */
  decompress(input: Uint8Array, size: number): Uint8Array
}

/** Instantiates the runtime on `wasm` (synchronously: the runtime is ready when this returns). */
export function startZstd({
  runtime,
  wasm,
  compress,
  decompress,
}: {
  runtime: ZstdRuntime
  wasm: WasmModule
  compress: (input: Uint8Array, level?: number) => Uint8Array
  decompress: (input: Uint8Array, options?: { defaultHeapSize: number }) => Uint8Array
}): Zstd {
  runtime.instantiateWasm = (imports, receive) => {
    const instance = new wasmApi.Instance(wasm, imports)
    receive(instance)
    return instance.exports
  }
  runtime.init()
  return {
    compress: (input, level = 3) => compress(input, level),
    decompress: (input, size) => decompress(input, { defaultHeapSize: size }),
  }
}
