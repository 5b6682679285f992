/** @module The `run_tables` lake table: per run and data table, whether the run's rows of that table are complete. */
import type { z } from 'zod'
import { col } from '../column-types.ts'
import { defineTable } from '../define-table.ts'

/**
 * Written by the transformer when it finalizes (or replays) a run, one row per data table, so a query
 * can tell a complete run from a partial one without reading manifests (dlt's `_dlt_loads`, per table).
 * `_extracted_at` is when the run started extracting.
 */
export const runTablesTable = defineTable({
  name: 'run_tables',
  description:
    'One row per run and data table: whether the run holds all the rows of that table it should (the views read only complete ones).',
  columns: {
    table_name: col.string({
      description: 'The data table (playlists, playlist_items, tracks, albums, artists, account_playlists).',
    }),
    run_status: col.string({
      description: 'The run status when the row was written (succeeded, partial, failed, abandoned).',
    }),
    complete: col.boolean({
      description:
        'True when every unit that can write this table finished and the counts reconcile; rejected records do not make a run incomplete.',
    }),
    incomplete_reason: col.string({ nullable: true, description: 'Why not complete (null when complete).' }),
    rows_written: col.int64({ description: "Rows of this table in the run's compacted file." }),
    rows_rejected: col.int64({ description: 'Records of this table rejected with a reason (rejected/).' }),
  },
  primaryKey: ['table_name'],
})

export const RunTableRowSchema = runTablesTable.rowSchema
export type RunTableRow = z.output<typeof RunTableRowSchema>
export type RunTableRowInput = z.input<typeof RunTableRowSchema>
