/** @module `lake import`: a Spotify privacy export (zip, folder or play file) into the lake's plays. */
import { parseArgs } from 'node:util'
import { createLakeStore } from '@spotify-lake/lake-store'
import { ExportFormatError } from '@spotify-lake/spotify-export'
import { ImportError, type ImportResult, importExport } from '@spotify-lake/transformer'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'
import { exportInputsAt } from '../import/inputs.ts'
import { type Env, readS3Config, S3_ENV } from '../query/config.ts'
import { hasLocalLake, LOCAL_LAKE_DIR, withLake, withLocalLake } from '../query/local-lake.ts'

const usage = `Usage: lake import <zip|folder|file> [--account ID] [--json]

Imports a Spotify privacy export into the lake's plays table: the "Extended streaming history" package
(Streaming_History_Audio_*.json, Streaming_History_Video_*.json, older endsong_*.json) and the "Account
data" package (StreamingHistory_music_*.json, StreamingHistory_podcast_*.json, older StreamingHistory<n>.json),
as the zip Spotify sent, a folder it was unpacked to, or single files. Other files are never read.

Each play becomes one row (source extended_history or account_data). The same play in two overlapping
files is one row; importing again adds nothing; account-data music is matched to the lake's tracks by
artist and track name where exactly one fits. IP addresses, user agents and usernames are not written,
not to raw either. A play a recently_played poll saw too stays in plays once per source; the view
listens has one row per listen (the export's). The summary reconciles: records = written + duplicates +
already in the lake + rejected.

The lake is the S3 named by ${Object.values(S3_ENV).join(', ')} (and LAKE_S3_REGION),
else the local lake in .lake/s3 ($LAKE_STATE_DIR/s3), created when there is none yet.

Options:
  --account  the Spotify account the plays are of (its account_id); default: the one account the lake knows
  --json     print the summary as JSON (progress stays on stderr)`

export interface ImportCommandOptions {
  env?: Env
  localLakeDir?: string
  now?: () => Date
}

function printSummary(r: ImportResult, out: (text: string) => void): void {
  const c = r.counts
  const rejected = Object.values(c.rejects).reduce((a, b) => a + b, 0)
  const lines = [
    `import ${r.runId} (account ${r.accountId}, dt=${r.dt}): ${r.status}`,
    `  files: ${c.files} play files read${r.ignored.length > 0 ? `, ${r.ignored.length} other files left unread` : ''}`,
    `  records: ${c.records} = written ${c.written} + duplicates ${c.duplicates} + already in the lake ${c.alreadyInLake} + rejected ${rejected}${r.reconciled ? '' : '  (DOES NOT RECONCILE)'}`,
    `  written by source: ${
      Object.entries(c.bySource)
        .map(([s, n]) => `${s}=${n}`)
        .join(' ') || 'none'
    }`,
    `  account-data music by name: matched ${c.byName.matched}, ambiguous ${c.byName.ambiguous}, unmatched ${c.byName.unmatched} (kept with their names)`,
  ]
  if (rejected > 0)
    lines.push(
      `  rejects: ${Object.entries(c.rejects)
        .map(([k, n]) => `${k}=${n}`)
        .join(' ')} in ${r.keys.rejected}`,
    )
  lines.push(`  query: lake query "SELECT source, count(*) FROM listens GROUP BY source"`)
  out(`${lines.join('\n')}\n`)
}

export function createImportCommand({
  env = process.env,
  localLakeDir = LOCAL_LAKE_DIR,
  now = () => new Date(),
}: ImportCommandOptions = {}): Command {
  return {
    name: 'import',
    summary: 'Import a Spotify privacy export (zip, folder or file) into plays',
    usage,
    async run({ args, io }) {
      const { values, positionals } = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: { account: { type: 'string' }, json: { type: 'boolean', default: false } },
      })
      if (positionals.length !== 1)
        throw new UsageError('name one export: a zip, a folder or a play file (lake import <path>)')
      if (values.account !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(values.account))
        throw new UsageError(`--account is not an account id: ${JSON.stringify(values.account)}`)
      const { inputs } = await exportInputsAt(positionals[0] as string)
      const startedAt = now()
      const run = async (store: Parameters<Parameters<typeof withLake>[1]>[0]) =>
        importExport({
          store,
          inputs,
          accountId: values.account ?? null,
          now: startedAt,
          onProgress: ({ file, records }) =>
            io.stderr(`lake import: ${records} records read; reading ${file}\n`),
        })
      let result: ImportResult
      try {
        const s3 = readS3Config(env)
        // A first import may come before any `lake up`: the local lake is created then.
        result =
          'config' in s3 || hasLocalLake(localLakeDir)
            ? await withLake({ env, localLakeDir }, run)
            : await withLocalLake((config) => run(createLakeStore({ ...config, retries: 1 })), localLakeDir)
      } catch (error) {
        if (error instanceof ExportFormatError || error instanceof ImportError) {
          io.stderr(`lake import: ${error.message}; nothing was written\n`)
          return EXIT_FAILURE
        }
        throw error
      }
      const seconds = ((Date.now() - startedAt.getTime()) / 1000).toFixed(1)
      if (values.json) io.stdout(`${JSON.stringify({ ...result, seconds: Number(seconds) }, null, 2)}\n`)
      else {
        printSummary(result, io.stdout)
        io.stdout(`  took ${seconds} s\n`)
      }
      return result.reconciled ? EXIT_OK : EXIT_FAILURE
    },
  }
}

export const importCommand: Command = createImportCommand()
