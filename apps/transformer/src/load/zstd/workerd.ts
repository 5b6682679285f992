/**
 * @module zstd in workerd: the package's browser runtime, its `.wasm` imported as a compiled module
 * (wrangler's default rule for `*.wasm`), since workerd compiles no WebAssembly at run time. The paths
 * go through node_modules because the package exports only its entry.
 */

import { Module } from '../../../node_modules/@bokuweb/zstd-wasm/dist/web/module.js'
import wasm from '../../../node_modules/@bokuweb/zstd-wasm/dist/web/zstd.wasm'
import { startZstd, type Zstd, type ZstdRuntime } from './binding.ts'

export const zstd: Zstd = startZstd({ runtime: Module as unknown as ZstdRuntime, wasm })
