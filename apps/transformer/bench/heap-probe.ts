/** @module Child process of the bench: one raw object through transform + Parquet under a V8 heap cap; exit 0 = it fits. */
import { readFileSync } from 'node:fs'
import { LAKE_TABLE_NAMES, lakeTable } from '@spotify-lake/schemas'
import { writeTableParquet } from '../src/parquet.ts'
import { transformRaw } from '../src/transform-raw.ts'

const [file, runId, dt] = process.argv.slice(2)
const bytes = readFileSync(file!)
const name = `raw/playlists/dt=${dt}/${runId}/probe.json.gz`
const { output } = await transformRaw({
  bytes,
  name,
  expect: { runId: runId!, dt: dt!, source: 'playlists' },
})
for (const table of LAKE_TABLE_NAMES) {
  if (output[table].rows.length > 0) writeTableParquet({ table: lakeTable(table), rows: output[table].rows })
}
