/** @module `lake replay`: rebuild the tables of a run (or of every run of a dt) from the raw zone, with the transformer's code. */
import { parseArgs } from 'node:util'
import { DtSchema, RunIdSchema } from '@spotify-lake/schemas'
import { NOT_EXTRACTED, type ReplayRunResult, replay } from '@spotify-lake/transformer'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'
import { type Env, S3_ENV } from '../query/config.ts'
import { LOCAL_LAKE_DIR, withLake } from '../query/local-lake.ts'

const usage = `Usage: lake replay --dt <YYYY-MM-DD> [--run <run_id>] [--force] [--json]

Re-transforms every raw object of the run (or of every run under the dt), compacts the tables to
tables/<table>/dt=<dt>/<run_id>.parquet, rewrites rejected/, run_tables and the manifest's table figures.
Same code as the TRANSFORM queue's replay message, run here without Worker limits.

A run that did not finish (killed, abandoned, units dead-lettered) is rebuilt too: its rows are in the
tables, but run_tables marks it incomplete, so the views and insights keep reading complete runs.
A run that may still be extracting (open, with activity within the stall timeout, 30 min) is refused:
its coordinator's later close would contradict the rebuilt tables. --force rebuilds it anyway.

The lake is the S3 named by ${Object.values(S3_ENV).join(', ')} (and LAKE_S3_REGION),
else the local lake that \`lake up\` / \`lake run --local\` left in .lake/s3 (as \`lake query\` and \`lake runs\`).
--endpoint and --bucket override the first two.`

export interface ReplayCommandOptions {
  env?: Env
  localLakeDir?: string
}

export function createReplayCommand({
  env = process.env,
  localLakeDir = LOCAL_LAKE_DIR,
}: ReplayCommandOptions = {}): Command {
  return {
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
          force: { type: 'boolean', default: false },
          endpoint: { type: 'string' },
          bucket: { type: 'string' },
        },
      })
      const dt = DtSchema.safeParse(values.dt)
      if (!dt.success)
        throw new UsageError(`--dt must be a date like 2026-11-21 (got ${values.dt ?? 'nothing'})`)
      const runId = values.run === undefined ? undefined : RunIdSchema.safeParse(values.run)
      if (runId && !runId.success) throw new UsageError(`--run is not a run id: ${values.run}`)
      const overrides = {
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
        ...(values.bucket ? { bucket: values.bucket } : {}),
      }
      const results = await withLake({ env, localLakeDir, overrides }, (store) =>
        replay({
          store,
          dt: dt.data,
          force: values.force,
          ...(runId?.success ? { runId: runId.data } : {}),
        }),
      )
      const summary = results.map((r) => ({
        runId: r.runId,
        rawObjects: r.rawObjects,
        status: r.status,
        reconciliation: r.reconciliation,
        tables: Object.fromEntries(
          Object.entries(r.tables).map(([t, s]) => [
            t,
            {
              rows: s.rows,
              rejected: s.rejected,
              duplicates: s.duplicates,
              complete: r.completeness[t as keyof ReplayRunResult['completeness']].complete,
            },
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
      for (const r of results) warnIncomplete(r, io.stderr)
      return results.some((r) => r.status === 'failed') ? EXIT_FAILURE : EXIT_OK
    },
  }
}

/** A replayed run that is not complete: say which tables the views leave it out of, and why. */
function warnIncomplete(result: ReplayRunResult, stderr: (text: string) => void): void {
  // A table no unit of the run writes (the plays of a daily run) is no fault of it: not worth a warning.
  const incomplete = Object.entries(result.completeness).filter(
    ([, c]) => !c.complete && c.reason !== NOT_EXTRACTED,
  )
  if (incomplete.length === 0) return
  const reasons = [...new Set(incomplete.map(([, c]) => c.reason))].join('; ')
  stderr(
    `lake replay: run ${result.runId} is incomplete for ${incomplete.map(([t]) => t).join(', ')} (${reasons}): its rows are in the tables, but the views and insights keep reading the latest complete run of each dt\n`,
  )
}

export const replayCommand: Command = createReplayCommand()
