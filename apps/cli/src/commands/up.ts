/** @module `lake up`: the README's main job — the whole pipeline locally, its summary, example queries, then the dashboard. */
import { parseArgs } from 'node:util'
import { createLakeStore } from '@spotify-lake/lake-store'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'
import { REPO_ROOT, runLocalPipeline } from '../local/pipeline.ts'
import { ensurePortFree } from '../local/ports.ts'
import { printRunSummary } from '../local/summary.ts'
import { DEFAULT_CACHE_DIR } from '../query/config.ts'
import { openLakeDb } from '../query/duckdb.ts'
import { formatTable } from '../query/format.ts'
import { findInsight } from '../query/insights.ts'
import { LOCAL_LAKE_DIR } from '../query/local-lake.ts'
import { syncLake } from '../query/sync.ts'
import { DEFAULT_DASHBOARD_PORT, serveUntilStopped } from './dashboard.ts'
import { intOption } from './run.ts'

/** Example queries shown after the run: the SQL files Athena gets as named queries. */
const EXAMPLE_INSIGHTS = ['playlist-size-over-time', 'top-artists'] as const

const usage = `Usage: lake up [--playlists N] [--items M] [--mode development|extended] [--seed S] [--port P] [--real] [--force] [--verbose]
               [--dashboard-port P] [--no-dashboard]

Runs the whole pipeline on this machine and stops everything it started when done (Ctrl-C is clean):
a local S3 server (data in .lake/s3), the local fake Spotify (or the real API with --real), both Workers
under wrangler dev with local queues; then a run through POST /refresh, its progress and summary, and
example insight queries in DuckDB over the fresh lake. Then it serves the dashboard over that lake and
prints its address and sign-in link, until Ctrl-C (\`lake dashboard\` serves it again later). Exit 0 when
the run succeeded. Run it again: unchanged playlists cost one snapshot check each; \`lake query\` reads
the lake afterwards.

Options: as \`lake run --local\` (defaults: 6 playlists x 60 items, development mode, seed 42, port 8787), and
  --dashboard-port P  the dashboard's port (default ${DEFAULT_DASHBOARD_PORT})
  --no-dashboard      end after the summary instead of serving the dashboard`

export const upCommand: Command = {
  name: 'up',
  summary:
    'Run the whole pipeline locally end to end, print its summary and example queries, then serve the dashboard.',
  usage,
  async run({ args, io }) {
    const { values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        playlists: { type: 'string', default: '6' },
        items: { type: 'string', default: '60' },
        mode: { type: 'string', default: 'development' },
        seed: { type: 'string', default: '42' },
        port: { type: 'string', default: '8787' },
        real: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'dashboard-port': { type: 'string', default: String(DEFAULT_DASHBOARD_PORT) },
        'no-dashboard': { type: 'boolean', default: false },
      },
    })
    const dashboardPort = intOption('dashboard-port', values['dashboard-port'], 0, 65_535)
    const mode = values.mode
    if (mode !== 'development' && mode !== 'extended') {
      throw new UsageError(`--mode must be development or extended, not ${JSON.stringify(mode)}`)
    }
    // The dashboard's port is checked before anything starts, not after a whole run (port 0: any free one).
    if (!values['no-dashboard'] && dashboardPort !== 0)
      await ensurePortFree(
        dashboardPort,
        '127.0.0.1',
        'another `lake up` or `lake dashboard` may be serving; pass --dashboard-port or --no-dashboard',
      )
    const say = (line: string) => io.stdout(`${line}\n`)
    say(`spotify-lake: local pipeline in ${REPO_ROOT}`)
    const result = await runLocalPipeline({
      stack: {
        mode,
        playlists: intOption('playlists', values.playlists, 0, 1000),
        items: intOption('items', values.items, 0, 10_000),
        seed: intOption('seed', values.seed, 0, 2 ** 31),
        port: intOption('port', values.port, 1, 65_535),
        real: values.real,
        verbose: values.verbose,
      },
      force: values.force,
      say,
      afterRun: async (stack) => {
        // Query while the S3 server still runs: sync the tables into the DuckDB cache, then run SQL files.
        const store = createLakeStore({ ...stack.s3, retries: 1 })
        await syncLake({ store, source: `local:${LOCAL_LAKE_DIR}`, cacheDir: DEFAULT_CACHE_DIR })
        const db = await openLakeDb({ root: DEFAULT_CACHE_DIR })
        try {
          const out: string[] = []
          for (const name of EXAMPLE_INSIGHTS) {
            const insight = await findInsight({ name })
            if (!insight) continue
            const result = await db.query(insight.sql)
            const shown = { ...result, rows: result.rows.slice(0, 8) }
            out.push(`\n-- ${name}: ${firstSentence(insight.description)}`, formatTable(shown))
          }
          return out.join('\n')
        } finally {
          db.close()
        }
      },
    })
    printRunSummary(result.manifest, result.durationMs, io.stdout)
    if (result.after) io.stdout(`Example queries (DuckDB over the local lake):\n${result.after}\n`)
    io.stdout(
      [
        '',
        'Everything started for this run is stopped again. Next:',
        '  ./lake query --list-insights                 the insight queries (also Athena named queries)',
        '  ./lake query "SELECT * FROM tracks LIMIT 5"   any SQL over the local lake',
        '  ./lake dashboard                             the dashboard over the local lake',
        '  ./lake up                                    run again: unchanged playlists cost one call each',
        '',
      ].join('\n'),
    )
    const code = result.manifest.status === 'succeeded' ? EXIT_OK : EXIT_FAILURE
    if (values['no-dashboard']) return code
    // The stack is stopped; the dashboard reads the DuckDB cache afterRun synced, until Ctrl-C.
    const db = await openLakeDb({ root: DEFAULT_CACHE_DIR })
    try {
      await serveUntilStopped({
        db,
        io,
        env: process.env,
        port: dashboardPort,
        host: '127.0.0.1',
        source: `the local lake (${LOCAL_LAKE_DIR})`,
      })
    } finally {
      db.close()
    }
    return code
  },
}

function firstSentence(text: string): string {
  return text.split(/(?<=[.:])\s/)[0] ?? text
}
