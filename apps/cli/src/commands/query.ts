/** @module `lake query`: SQL or a named insight over the lake, on DuckDB (local cache of S3) or on Athena. */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { AthenaClient } from '@aws-sdk/client-athena'
import { createLakeStore, S3Error } from '@spotify-lake/lake-store'
import { type Command, EXIT_OK, UsageError } from '../command.ts'
import { runAthenaQuery } from '../query/athena.ts'
import {
  ATHENA_ENV,
  DEFAULT_CACHE_DIR,
  type Env,
  readS3Config,
  S3_ENV,
  type S3Config,
} from '../query/config.ts'
import { openLakeDb } from '../query/duckdb.ts'
import { formatResult, QUERY_FORMATS, type QueryFormat } from '../query/format.ts'
import { DEFAULT_INSIGHTS_DIR, findInsight, listInsights } from '../query/insights.ts'
import { hasLocalLake, LOCAL_LAKE_DIR, withLocalLake } from '../query/local-lake.ts'
import type { QueryResult } from '../query/result.ts'
import { type SyncReport, syncLake } from '../query/sync.ts'

export const QUERY_ENGINES = ['duckdb', 'athena'] as const
export type QueryEngine = (typeof QUERY_ENGINES)[number]

const usage = `Usage: lake query "SQL" [--format table|csv|json] [--engine duckdb|athena]
       lake query --insight NAME [options]
       lake query --list-insights [--format table|csv|json]

Runs SQL over the lake's tables (\`lake schema\` lists them: playlists, playlist_items, tracks, albums,
artists, account_playlists, plays, top_tracks, top_artists, followed_artists, saved_*, run_tables; each
has the partition column dt) and views (listens, saved_library, current_tracks, current_albums, ...). --insight runs sql/insights/NAME.sql, the queries infra also deploys to Athena.

Options:
  --format F       table (default; aligned, with a row count), csv (RFC 4180) or json (array of objects)
  --engine E       duckdb (default): syncs tables/ from S3 into a local cache, then queries it in DuckDB
                   athena: runs the SQL in the deployed Athena workgroup (AWS credentials from the
                   usual AWS SDK sources: AWS_PROFILE, AWS_ACCESS_KEY_ID..., AWS_REGION)
  --insight NAME   run a named insight instead of SQL
  --list-insights  list the insights with their descriptions
  --cache DIR      duckdb: the local cache (default: .lake/cache/ at the repository root, or $LAKE_STATE_DIR/cache)
  --offline        duckdb: query the cache as it is, without syncing from S3
  --workgroup W    athena: workgroup (default: $${ATHENA_ENV.workgroup})
  --database D     athena: Glue database (default: $${ATHENA_ENV.database})

Environment (duckdb engine): ${Object.values(S3_ENV).join(', ')}`

export interface QueryCommandOptions {
  env?: Env
  insightsDir?: string
  defaultCacheDir?: string
  /** Where `lake up` leaves its S3 data; used when no LAKE_S3_* variable is set. */
  localLakeDir?: string
  /** Makes the Athena client; tests pass a stub. */
  athenaClient?: () => Pick<AthenaClient, 'send'>
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`
}

function syncLine(report: SyncReport, source: string, cacheDir: string): string {
  return `lake query: synced ${source} tables/ -> ${cacheDir}: ${report.downloaded} downloaded (${kib(report.bytes)}), ${report.unchanged} unchanged, ${report.removed} removed\n`
}

async function syncFrom(
  config: S3Config,
  cacheDir: string,
  stderr: (text: string) => void,
  /** Identifies the lake for the cache index; defaults to endpoint/bucket. */
  source = `${config.endpoint.replace(/\/+$/, '')}/${config.bucket}`,
): Promise<void> {
  const { endpoint, bucket } = config
  const store = createLakeStore({ ...config, retries: 1 })
  let report: SyncReport
  try {
    report = await syncLake({ store, source, cacheDir })
  } catch (error) {
    if (error instanceof S3Error && error.code === 'NetworkError') {
      throw new Error(
        `cannot reach the lake's S3 endpoint ${endpoint} (${S3_ENV.endpoint}): ${error.message} (--offline queries the cache as it is)`,
      )
    }
    if (error instanceof S3Error) throw new Error(`S3 at ${endpoint}, bucket ${bucket}: ${error.message}`)
    throw error
  }
  stderr(syncLine(report, source, cacheDir))
}

/**
 * Brings the DuckDB cache up to date from the lake every command reads (LAKE_S3_*, else the local lake);
 * nothing when `offline`. `lake query` and `lake dashboard` share it.
 */
export async function syncForDuckDb({
  env,
  cacheDir,
  offline,
  stderr,
  localLakeDir,
}: {
  env: Env
  cacheDir: string
  offline: boolean
  stderr: (text: string) => void
  localLakeDir: string
}): Promise<void> {
  if (!offline) {
    const s3 = readS3Config(env)
    if ('config' in s3) {
      await syncFrom(s3.config, cacheDir, stderr)
    } else if (s3.missing.length === Object.keys(S3_ENV).length && hasLocalLake(localLakeDir)) {
      // No S3 configured: the lake that `lake up` / `lake run --local` left in .lake/s3.
      // Its port differs every time: name it by folder so the cache stays incremental.
      await withLocalLake(
        (config) => syncFrom(config, cacheDir, stderr, `local:${localLakeDir}`),
        localLakeDir,
      )
    } else {
      throw new UsageError(
        `the duckdb engine syncs from S3 first: set ${s3.missing.join(', ')} (or run \`lake up\` for a local lake, or pass --offline to query the cache as it is)`,
      )
    }
  }
}

async function queryDuckDb({
  sql,
  ...options
}: Parameters<typeof syncForDuckDb>[0] & { sql: string }): Promise<QueryResult> {
  const { cacheDir } = options
  await syncForDuckDb(options)
  const db = await openLakeDb({ root: cacheDir })
  try {
    return await db.query(sql)
  } finally {
    db.close()
  }
}

async function queryAthena({
  sql,
  env,
  workgroup = env[ATHENA_ENV.workgroup],
  database = env[ATHENA_ENV.database],
  client,
}: {
  sql: string
  env: Env
  workgroup?: string
  database?: string
  client: () => Pick<AthenaClient, 'send'>
}): Promise<QueryResult> {
  if (!workgroup)
    throw new UsageError(`--workgroup or ${ATHENA_ENV.workgroup} is required for --engine athena`)
  if (!database) throw new UsageError(`--database or ${ATHENA_ENV.database} is required for --engine athena`)
  return runAthenaQuery({ client: client(), sql, workgroup, database })
}

function oneOf<T extends string>(value: string, valid: readonly T[], what: string): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${what} ${JSON.stringify(value)}; valid: ${valid.join(', ')}`)
  }
  return value as T
}

export function createQueryCommand({
  env = process.env,
  insightsDir = DEFAULT_INSIGHTS_DIR,
  defaultCacheDir = DEFAULT_CACHE_DIR,
  localLakeDir = LOCAL_LAKE_DIR,
  athenaClient = () => new AthenaClient({}),
}: QueryCommandOptions = {}): Command {
  return {
    name: 'query',
    summary: 'Run SQL or a named insight over the lake (DuckDB over a local cache of S3, or Athena).',
    usage,
    run: async ({ args, io }) => {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          format: { type: 'string', default: 'table' },
          engine: { type: 'string', default: 'duckdb' },
          insight: { type: 'string' },
          'list-insights': { type: 'boolean', default: false },
          cache: { type: 'string' },
          offline: { type: 'boolean', default: false },
          workgroup: { type: 'string' },
          database: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      })
      const format: QueryFormat = oneOf(values.format, QUERY_FORMATS, 'format')
      const engine = oneOf(values.engine, QUERY_ENGINES, 'engine')
      if (values['list-insights']) {
        if (positionals.length > 0 || values.insight !== undefined)
          throw new UsageError('--list-insights takes no SQL and no --insight')
        const insights = await listInsights({ dir: insightsDir })
        io.stdout(
          formatResult({
            result: { columns: ['name', 'description'], rows: insights.map((i) => [i.name, i.description]) },
            format,
          }),
        )
        return EXIT_OK
      }
      if (positionals.length > 1)
        throw new UsageError('give the SQL as one argument (quote it), or use --insight NAME')
      const [text] = positionals
      let sql: string
      if (values.insight !== undefined) {
        if (text !== undefined) throw new UsageError('give either SQL or --insight NAME, not both')
        const insight = await findInsight({ name: values.insight, dir: insightsDir })
        if (!insight) {
          const names = (await listInsights({ dir: insightsDir })).map((i) => i.name)
          throw new UsageError(
            `unknown insight ${JSON.stringify(values.insight)}; insights: ${names.join(', ') || '(none)'}`,
          )
        }
        sql = insight.sql
      } else {
        if (text === undefined || text.trim() === '')
          throw new UsageError('SQL is required (or --insight NAME, or --list-insights)')
        sql = text
      }
      if (engine === 'athena' && (values.cache !== undefined || values.offline))
        throw new UsageError('--cache and --offline are for the duckdb engine')
      if (engine === 'duckdb' && (values.workgroup !== undefined || values.database !== undefined))
        throw new UsageError('--workgroup and --database are for the athena engine')
      const result =
        engine === 'duckdb'
          ? await queryDuckDb({
              sql,
              env,
              cacheDir: resolve(values.cache ?? defaultCacheDir),
              offline: values.offline,
              stderr: io.stderr,
              localLakeDir,
            })
          : await queryAthena({
              sql,
              env,
              workgroup: values.workgroup,
              database: values.database,
              client: athenaClient,
            })
      const output = formatResult({ result, format })
      io.stdout(output.endsWith('\n') ? output : `${output}\n`)
      return EXIT_OK
    },
  }
}

export const queryCommand: Command = createQueryCommand()
