/** @module The whole transform of one raw object without S3: gunzip to staged Parquet and reject files, in memory. */
import { LAKE_TABLE_NAMES } from '@spotify-lake/schemas'
import { encodeStagedTable, type StagingOptions } from '../src/load/stage.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'

/** What the queue path stages for one message (the bytes it would PUT), minus the PUTs. */
export async function transformToStaged(
  bytes: Uint8Array,
  name: string,
  parquet: StagingOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const { output } = await transformRaw({ bytes, name, runId: 'bench' })
  let rows = 0
  let size = 0
  for (const table of LAKE_TABLE_NAMES) {
    const staged = await encodeStagedTable({ table, output: output[table], ...parquet })
    rows += output[table].rows.length
    size += (staged.parquet?.length ?? 0) + (staged.rejects?.length ?? 0)
  }
  return { rows, bytes: size }
}
