/** @module `lake replay`: rebuild the tables of a run (or of every run of a dt) from the raw zone, with the transformer's code. */
import { parseArgs } from 'node:util'
import { createLakeStore } from '@spotify-lake/lake-store'
import { DtSchema, RunIdSchema } from '@spotify-lake/schemas'
import { replay } from '@spotify-lake/transformer'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'

const usage = `Usage: lake replay --dt <YYYY-MM-DD> [--run <run_id>] [--json]

Re-transforms every raw object of the run (or of every run under the dt), compacts the tables to
tables/<table>/dt=<dt>/<run_id>.parquet, rewrites rejected/ and the manifest's table figures.
Same code as the TRANSFORM queue's replay message, run here without Worker limits.

S3 settings come from the environment:
  LAKE_S3_ENDPOINT, LAKE_S3_BUCKET, LAKE_S3_ACCESS_KEY_ID, LAKE_S3_SECRET_ACCESS_KEY, LAKE_S3_REGION
(--endpoint and --bucket override the first two).`

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Rebuild the tables of a run or a dt from raw',
  usage,
  async run({ args, io }) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        dt: { type: 'string' },
        run: { type: 'string' },
        json: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        bucket: { type: 'string' },
      },
    })
    const dt = DtSchema.safeParse(values.dt)
    if (!dt.success)
      throw new UsageError(`--dt must be a date like 2026-11-21 (got ${values.dt ?? 'nothing'})`)
    const runId = values.run === undefined ? undefined : RunIdSchema.safeParse(values.run)
    if (runId && !runId.success) throw new UsageError(`--run is not a run id: ${values.run}`)
    const env = process.env
    const settings = {
      endpoint: values.endpoint ?? env.LAKE_S3_ENDPOINT,
      bucket: values.bucket ?? env.LAKE_S3_BUCKET,
      accessKeyId: env.LAKE_S3_ACCESS_KEY_ID,
      secretAccessKey: env.LAKE_S3_SECRET_ACCESS_KEY,
    }
    const missing = Object.entries(settings).filter(([, v]) => !v)
    if (missing.length > 0) {
      throw new UsageError(
        `S3 is not configured: missing ${missing.map(([k]) => k).join(', ')} (see LAKE_S3_* above)`,
      )
    }
    const store = createLakeStore({
      endpoint: settings.endpoint!,
      bucket: settings.bucket!,
      accessKeyId: settings.accessKeyId!,
      secretAccessKey: settings.secretAccessKey!,
      region: env.LAKE_S3_REGION || 'us-east-1',
    })
    const results = await replay({ store, dt: dt.data, ...(runId?.success ? { runId: runId.data } : {}) })
    const summary = results.map((r) => ({
      runId: r.runId,
      rawObjects: r.rawObjects,
      status: r.status,
      reconciliation: r.reconciliation,
      tables: Object.fromEntries(
        Object.entries(r.tables).map(([t, s]) => [
          t,
          { rows: s.rows, rejected: s.rejected, duplicates: s.duplicates },
        ]),
      ),
      rejects: r.rejects,
    }))
    if (values.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`)
    else if (summary.length === 0) io.stdout(`no raw objects under dt=${dt.data}\n`)
    else {
      for (const s of summary) {
        const rows = Object.entries(s.tables)
          .map(([t, c]) => `${t}=${c.rows}`)
          .join(' ')
        io.stdout(
          `${s.runId}: ${s.status}, ${s.rawObjects} raw objects, ${rows}, rejected=${s.reconciliation.rowsRejected}\n`,
        )
      }
    }
    return results.some((r) => r.status === 'failed') ? EXIT_FAILURE : EXIT_OK
  },
}
