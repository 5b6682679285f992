/** @module zstd in Node (CLI, tests, bench): the package's CommonJS runtime, its `.wasm` compiled from the file. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { startZstd, wasmApi, type Zstd, type ZstdRuntime } from './binding.ts'

const require = createRequire(import.meta.url)
// The package exports only its entry; its runtime parts are loaded from beside it by path.
const dist = dirname(require.resolve('@bokuweb/zstd-wasm'))

export const zstd: Zstd = startZstd({
  runtime: (require(join(dist, 'module.js')) as { Module: ZstdRuntime }).Module,
  // Node compiles WebAssembly from bytes (workerd does not).
  wasm: new wasmApi.Module(readFileSync(join(dist, 'zstd.wasm'))),
})
