/** @module `lake runs` / `lake runs show <id>`: the run manifests kept in the lake (`runs/<run_id>.json`). */
import { parseArgs } from 'node:util'
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  COMPLETE_UNIT_STATUSES,
  lakeKeys,
  RunIdSchema,
  type RunManifest,
  RunManifestSchema,
} from '@spotify-lake/schemas'
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.ts'
import { runSummary } from '../local/run-local.ts'
import { printRunSummary, runKind } from '../local/summary.ts'
import type { Env } from '../query/config.ts'
import { LOCAL_LAKE_DIR, withLake as withConfiguredLake } from '../query/local-lake.ts'
import { intOption } from './run.ts'

const usage = `Usage: lake runs [--limit N] [--json]
       lake runs show <run_id> [--json]

Lists the runs of the lake, newest first (run id, dt, status, trigger, kind, rows, rejects, API calls,
duration), or shows one run's manifest: rows, rejects and duplicates per table (and whether the run is
complete for each table it extracts), units by status, API use, reconciliation and errors. The kind
tells a plays poll (the recently_played source alone, hourly) from a daily run (playlists and the user's
snapshots). --json prints the summaries (list) or the whole manifest (show).

The lake is the S3 named by LAKE_S3_ENDPOINT, LAKE_S3_BUCKET, LAKE_S3_ACCESS_KEY_ID and
LAKE_S3_SECRET_ACCESS_KEY, else the local lake that \`lake up\` / \`lake run --local\` left in .lake/s3.
A deployed Worker also serves them: GET /runs and GET /runs/:id (Bearer REFRESH_API_TOKEN).

Options:
  --limit   at most this many runs (default 20)
  --json    machine-readable output`

export interface RunsCommandOptions {
  env?: Env
  localLakeDir?: string
}

/** A run's wall time: until it finished, or until now while it is open. */
export function runDurationMs(m: RunManifest, now = Date.now()): number {
  return (m.finishedAt ? Date.parse(m.finishedAt) : now) - Date.parse(m.createdAt)
}

export function createRunsCommand({
  env = process.env,
  localLakeDir = LOCAL_LAKE_DIR,
}: RunsCommandOptions = {}): Command {
  /** Runs `fn` on the configured S3 lake, or on the local one served for the moment. */
  const withLake = <T>(fn: (store: LakeStore) => Promise<T>): Promise<T> =>
    withConfiguredLake({ env, localLakeDir }, fn)

  return {
    name: 'runs',
    summary: "List the lake's runs, or show one run's manifest (runs show <id>).",
    usage,
    async run({ args, io }) {
      const { values, positionals } = parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: true,
        options: {
          limit: { type: 'string', default: '20' },
          json: { type: 'boolean', default: false },
        },
      })
      const [sub, id, ...extra] = positionals
      if (sub === undefined) {
        const limit = intOption('limit', values.limit, 1, 10_000)
        const manifests = await withLake((store) => listManifests(store, limit, io.stderr))
        if (values.json) {
          io.stdout(
            `${JSON.stringify(
              manifests.map((m) => runSummary(m, runDurationMs(m))),
              null,
              2,
            )}\n`,
          )
        } else {
          io.stdout(formatRunList(manifests))
        }
        return EXIT_OK
      }
      if (sub !== 'show')
        throw new UsageError(`unknown runs subcommand ${JSON.stringify(sub)}; use \`runs show <run_id>\``)
      if (id === undefined) throw new UsageError('runs show needs a run id (see `lake runs`)')
      if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`)
      const runId = RunIdSchema.safeParse(id)
      if (!runId.success)
        throw new UsageError(`${JSON.stringify(id)} is not a run id (like 20261121T060000123Z-ab12cd)`)
      const manifest = await withLake(async (store) => {
        const raw = await store.getJson<unknown>(lakeKeys.manifest(runId.data))
        return raw === null ? null : RunManifestSchema.parse(raw)
      })
      if (!manifest) {
        io.stderr(`lake runs: no run ${runId.data} in this lake (runs/${runId.data}.json does not exist)\n`)
        return EXIT_FAILURE
      }
      if (values.json) io.stdout(`${JSON.stringify(manifest, null, 2)}\n`)
      else {
        printRunSummary(manifest, runDurationMs(manifest), io.stdout)
        const open = Object.entries(manifest.units).filter(([, u]) => !COMPLETE_UNIT_STATUSES.has(u.status))
        const lines = [
          `  trigger: ${manifest.trigger}${manifest.force ? ' (forced)' : ''}; kind: ${runKind(manifest)}; created ${manifest.createdAt}${manifest.finishedAt ? `; finished ${manifest.finishedAt}` : ''}${manifest.replayedAt ? `; replayed ${manifest.replayedAt}` : ''}`,
        ]
        if (manifest.blockedUntil) {
          const why =
            manifest.blockedReason === 'quota_exceeded'
              ? "the developer account's quota (QUOTA_EXCEEDED)"
              : "Spotify's rate limit"
          lines.push(`  blocked by ${why} until ${manifest.blockedUntil}`)
        }
        for (const [key, u] of open.slice(0, 20)) {
          lines.push(
            `  unit ${key}: ${u.status}${u.retryAt ? ` until ${u.retryAt}` : ''}${u.error ? ` (${u.error})` : ''}`,
          )
        }
        if (open.length > 20) lines.push(`  ... and ${open.length - 20} more units not done`)
        io.stdout(`${lines.join('\n')}\n`)
      }
      return EXIT_OK
    },
  }
}

export const runsCommand = createRunsCommand()

/** The newest `limit` manifests (run ids sort by time); an unreadable one is reported, not fatal. */
async function listManifests(
  store: LakeStore,
  limit: number,
  stderr: (text: string) => void,
): Promise<RunManifest[]> {
  const keys = (await store.listKeys('runs/'))
    .filter((k) => /^runs\/[^/]+\.json$/.test(k))
    .sort()
    .reverse()
    .slice(0, limit)
  const manifests: RunManifest[] = []
  for (const key of keys) {
    const parsed = RunManifestSchema.safeParse(await store.getJson<unknown>(key))
    if (parsed.success) manifests.push(parsed.data)
    else
      stderr(
        `lake runs: skipping ${key}: not a run manifest (${parsed.error.issues[0]?.message ?? 'invalid'})\n`,
      )
  }
  return manifests
}

export function formatRunList(manifests: readonly RunManifest[]): string {
  if (manifests.length === 0) return 'no runs in this lake yet\n'
  const rows = manifests.map((m) => {
    const sum = (pick: (t: { rows: number; rejected: number }) => number) =>
      Object.values(m.tables).reduce((total, t) => total + pick(t), 0)
    return [
      m.runId,
      m.dt,
      m.status,
      m.trigger,
      runKind(m),
      String(sum((t) => t.rows)),
      String(sum((t) => t.rejected)),
      String(m.api.calls),
      `${(runDurationMs(m) / 1000).toFixed(1)} s`,
      accountsCell(m),
      catalogCell(m),
    ]
  })
  const header = [
    'run_id',
    'dt',
    'status',
    'trigger',
    'kind',
    'rows',
    'rejected',
    'api_calls',
    'duration',
    'accounts',
    'catalog',
  ]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 5 && i < 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  const warned = manifests.filter((m) => m.warnings.length > 0 || m.failure)
  const notes = warned
    .slice(0, 5)
    .flatMap((m) => [
      ...(m.failure ? [`${m.runId}: ${m.failure.reason}: ${m.failure.action ?? m.failure.message}`] : []),
      ...m.warnings.map((w) => `${m.runId}: warning: ${w}`),
    ])
  return `${[line(header), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`
}

/** The catalog ledger's counts over every kind: `5 fetched, 30 fresh, 2 waiting`; `-` without them. */
function catalogCell(m: RunManifest): string {
  if (!m.catalog) return '-'
  const sum = (pick: (k: { planned: number; fresh: number; waiting: number }) => number) =>
    Object.values(m.catalog?.kinds ?? {}).reduce((total, k) => total + pick(k), 0)
  return `${sum((k) => k.planned)} fetched, ${sum((k) => k.fresh)} fresh, ${sum((k) => k.waiting)} waiting`
}

/**
 * Each account's state in one cell: `2 connected`, `1 connected, 1 reauth_required`, and the fewest days
 * of consent left when a warning is due (`1 connected (12 days left)`); `-` for a run without accounts.
 */
function accountsCell(m: RunManifest): string {
  const accounts = Object.values(m.accounts)
  if (accounts.length === 0) return '-'
  const byStatus = new Map<string, number>()
  for (const a of accounts) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1)
  const counts = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ')
  const warned = accounts.filter((a) => a.warning && a.status === 'connected')
  const least = Math.min(...warned.map((a) => a.daysLeft))
  return warned.length > 0 ? `${counts} (${least} days left)` : counts
}
