/**
 * @module Child process of the bench: one raw object through the floor or the whole transform (to staged
 * Parquet, no S3) under a V8 heap cap; exit 0 = it fits.
 */
import { readFileSync } from 'node:fs'
import { parseRawFloor } from './floor.ts'
import { transformToStaged } from './stage-local.ts'

const [mode, file] = process.argv.slice(2) as ['floor' | 'transform', string]
const bytes = new Uint8Array(readFileSync(file))
if (mode === 'floor') await parseRawFloor(bytes)
else await transformToStaged(bytes, 'probe.json.gz')
