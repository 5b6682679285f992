/** @module `lake dashboard`: the lake's insights as charts in the browser, served over DuckDB until Ctrl-C. */
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type Command, type CommandIo, EXIT_OK, UsageError } from '../command.ts'
import { serveDashboard } from '../dashboard/serve.ts'
import { untilStopped } from '../dashboard/until-stopped.ts'
import { DEFAULT_CACHE_DIR, type Env, LAKE_STATE_DIR } from '../query/config.ts'
import { type LakeDb, openLakeDb } from '../query/duckdb.ts'
import { LOCAL_LAKE_DIR } from '../query/local-lake.ts'
import { syncForDuckDb } from './query.ts'
import { intOption } from './run.ts'

/** The Worker of the local stack listens on 8787; the dashboard next to it. */
export const DEFAULT_DASHBOARD_PORT = 8788
/** Where the page is built for the local server. */
const DASHBOARD_BUILD_DIR = join(LAKE_STATE_DIR, 'dashboard')

const usage = `Usage: lake dashboard [--port P] [--host H] [--cache DIR] [--offline]

Serves the dashboard (charts of the insights in sql/insights/) over the lake \`lake query\` reads: the
local lake that \`lake up\` left in .lake/s3, or the S3 named by LAKE_S3_*. It syncs tables/ into the
DuckDB cache first, then serves the page and GET /api/insights/:name until Ctrl-C.

Sign in with the token: $LAKE_DASHBOARD_TOKEN, else a new random one for this session, which the
printed sign-in link carries (in its #fragment: the browser never sends it anywhere but the form).

Options:
  --port P     port to listen on (default ${DEFAULT_DASHBOARD_PORT}; 0 picks a free one)
  --host H     address to listen on (default 127.0.0.1: this machine only)
  --cache DIR  the DuckDB cache (default: .lake/cache/)
  --offline    serve the cache as it is, without syncing`

/**
 * Serves `db` until a stop signal, printing the address and the sign-in link; closes the server (not
 * `db`) before it resolves. `lake up` ends with it too.
 */
export async function serveUntilStopped({
  db,
  io,
  env,
  port,
  host,
  source,
}: {
  db: LakeDb
  io: CommandIo
  env: Env
  port: number
  host: string
  source: string
}): Promise<void> {
  const server = await serveDashboard({
    db,
    outdir: DASHBOARD_BUILD_DIR,
    source,
    token: env.LAKE_DASHBOARD_TOKEN || undefined,
    port,
    host,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error
    throw new UsageError(
      `port ${port} on ${host} is in use: pick another with --port (\`lake up\`: --dashboard-port)`,
    )
  })
  // A token the user chose is theirs to type; only one made up for this session rides in the link.
  const signIn = env.LAKE_DASHBOARD_TOKEN
    ? `  sign in at ${server.url}login with $LAKE_DASHBOARD_TOKEN`
    : `  sign in: ${server.signInUrl}`
  io.stdout(['', `Dashboard: ${server.url}`, signIn, 'Serving until Ctrl-C.', ''].join('\n'))
  const signal = await untilStopped()
  io.stderr(`\n${signal}: dashboard stopped\n`)
  await server.close()
}

export function createDashboardCommand({
  env = process.env,
  defaultCacheDir = DEFAULT_CACHE_DIR,
  localLakeDir = LOCAL_LAKE_DIR,
}: {
  env?: Env
  defaultCacheDir?: string
  localLakeDir?: string
} = {}): Command {
  return {
    name: 'dashboard',
    summary: 'Serve the dashboard (insights as charts) over the local lake until Ctrl-C.',
    usage,
    async run({ args, io }) {
      const { values } = parseArgs({
        args: [...args],
        strict: true,
        options: {
          port: { type: 'string', default: String(DEFAULT_DASHBOARD_PORT) },
          host: { type: 'string', default: '127.0.0.1' },
          cache: { type: 'string' },
          offline: { type: 'boolean', default: false },
        },
      })
      const port = intOption('port', values.port, 0, 65_535)
      const cacheDir = resolve(values.cache ?? defaultCacheDir)
      await syncForDuckDb({ env, cacheDir, offline: values.offline, stderr: io.stderr, localLakeDir })
      const db = await openLakeDb({ root: cacheDir })
      try {
        await serveUntilStopped({ db, io, env, port, host: values.host, source: `DuckDB over ${cacheDir}` })
      } finally {
        db.close()
      }
      return EXIT_OK
    },
  }
}

export const dashboardCommand: Command = createDashboardCommand()
