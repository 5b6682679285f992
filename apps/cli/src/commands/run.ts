/** @module `lake run --local`: one full local run; exit 0 only when the run succeeded. */
import { parseArgs } from 'node:util'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'
import { runLocalPipeline } from '../local/pipeline.ts'
import { parseSources, REFRESH_FIELDS } from '../local/run-local.ts'
import { printRunSummary } from '../local/summary.ts'

const usage = `Usage: lake run --local [--sources LIST] [--playlists N] [--items M] [--mode development|extended]
                [--seed S] [--accounts A] [--port P] [--real] [--force] [--timeout SECONDS] [--json] [--verbose]

Starts the local stack (S3 server, fake Spotify, both Workers under wrangler dev), triggers a run through
POST /refresh, follows it to the end, prints its summary and stops everything it started.

  lake run --local --sources recently_played                        a plays poll, as the hourly Cron Trigger starts it
  lake run --local --sources playlists,top_items,followed_artists    a daily run of a new install's sources

Options:
  --local      required: run against the local stack (deployed runs start with the Worker's POST /refresh)
  --sources    only these sources, comma-separated: ${Object.keys(REFRESH_FIELDS).join(', ')}
               (default: the local stack's SOURCES, the user's playlists)
  --playlists  playlists in the fake catalog (default 5)
  --items      items per playlist (default 50, at most 10000)
  --mode       development | extended: which kind of Spotify app the fake behaves as (default development)
  --seed       catalog seed (default 42): the same seed gives the same catalog
  --accounts   Spotify accounts of the fake, 1-5 (default 1): the first is seeded from the session's
               SPOTIFY_REFRESH_TOKEN, the others connect through the Worker's /connect; runs extract each
  --port       worker HTTP port (default 8787)
  --real       use the real Spotify API (SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET, SPOTIFY_REFRESH_TOKEN)
  --force      start even if another run is active, and skip the unchanged-snapshot shortcut
               (the API's {"force": true})
  --timeout    give up after this many seconds (default 600)
  --json       print the manifest summary as JSON (progress goes to stderr)
  --verbose    echo the Workers' log lines`

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the whole pipeline once on the local stack and print its summary.',
  usage,
  async run({ args, io }) {
    const { values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        local: { type: 'boolean', default: false },
        sources: { type: 'string' },
        playlists: { type: 'string', default: '5' },
        items: { type: 'string', default: '50' },
        mode: { type: 'string', default: 'development' },
        seed: { type: 'string', default: '42' },
        accounts: { type: 'string', default: '1' },
        port: { type: 'string', default: '8787' },
        real: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '600' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    })
    if (!values.local) throw new UsageError('only local runs are started here: pass --local')
    const mode = values.mode
    if (mode !== 'development' && mode !== 'extended') {
      throw new UsageError(`--mode must be development or extended, not ${JSON.stringify(mode)}`)
    }
    let sources: ReturnType<typeof parseSources> | undefined
    try {
      sources = values.sources === undefined ? undefined : parseSources(values.sources)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const say = (line: string) => (values.json ? io.stderr(`${line}\n`) : io.stdout(`${line}\n`))
    const result = await runLocalPipeline({
      stack: {
        mode,
        playlists: intOption('playlists', values.playlists, 0, 1000),
        items: intOption('items', values.items, 0, 10_000),
        seed: intOption('seed', values.seed, 0, 2 ** 31),
        accounts: intOption('accounts', values.accounts, 1, 5),
        port: intOption('port', values.port, 1, 65_535),
        real: values.real,
        verbose: values.verbose,
      },
      force: values.force,
      sources,
      timeoutMs: intOption('timeout', values.timeout, 1, 86_400) * 1000,
      say,
    })
    if (values.json) io.stdout(`${JSON.stringify(result.summary, null, 2)}\n`)
    else printRunSummary(result.manifest, result.durationMs, io.stdout)
    return result.manifest.status === 'succeeded' ? EXIT_OK : EXIT_FAILURE
  },
}

export function intOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`,
    )
  }
  return n
}
