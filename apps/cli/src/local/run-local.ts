/** @module Starts a run through the worker's real HTTP API, follows its manifest to the end, cancels it. */
import {
  CLOSED_RUN_STATUSES,
  type RunManifest,
  RunManifestSchema,
  type SourceName,
} from '@spotify-lake/schemas'
import { runKind } from './summary.ts'

/** Another live run holds the lock (HTTP 409). */
export class RunBusyError extends Error {
  override readonly name = 'RunBusyError'
  constructor(
    readonly activeRunId: string,
    readonly since: string,
    readonly lastActivityAt: string | null,
  ) {
    // The CLI's own words: its flag is --force (the API's body field is "force": true).
    super(
      `a run is already active (run ${activeRunId}, since ${since}${lastActivityAt ? `, last activity ${lastActivityAt}` : ''}): wait for it to finish, or pass --force to start another anyway`,
    )
  }
}

/**
 * The `POST /refresh` body field that selects each source (the worker's `SOURCES` keys). `catalog` is
 * no choice: it follows from the tracks the others find.
 */
export const REFRESH_FIELDS = {
  playlists: 'myPlaylists',
  recently_played: 'recentlyPlayed',
  top_items: 'topItems',
  followed_artists: 'followedArtists',
  saved_tracks: 'savedTracks',
  saved_albums: 'savedAlbums',
  saved_shows: 'savedShows',
  saved_episodes: 'savedEpisodes',
} as const satisfies Record<Exclude<SourceName, 'catalog'>, string>
export type SelectableSource = keyof typeof REFRESH_FIELDS

/**
 * `--sources a,b`: source names (`lakeSources`' names, e.g. `recently_played` for a plays poll).
 * @throws Error naming the unknown source and the valid ones
 */
export function parseSources(text: string): SelectableSource[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) throw new Error('--sources needs at least one source name')
  for (const name of names) {
    if (!(name in REFRESH_FIELDS))
      throw new Error(
        `unknown source ${JSON.stringify(name)}; sources: ${Object.keys(REFRESH_FIELDS).join(', ')}`,
      )
  }
  return [...new Set(names)] as SelectableSource[]
}

export interface TriggerOptions {
  workerUrl: string
  apiToken: string
  force?: boolean
  dt?: string
  /** Only these sources for this run (the body's fields); absent: the Worker's configured `SOURCES`. */
  sources?: readonly SelectableSource[] | undefined
}

/** POST /refresh; returns the new run id. Errors carry the API's own message. */
export async function triggerRun({
  workerUrl,
  apiToken,
  force = false,
  dt,
  sources,
}: TriggerOptions): Promise<string> {
  const chosen = Object.fromEntries((sources ?? []).map((s) => [REFRESH_FIELDS[s], true]))
  const res = await fetch(`${workerUrl}/refresh`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ force, ...(dt ? { dt } : {}), ...chosen }),
  })
  const body = (await res.json().catch(() => ({}))) as {
    run_id?: string
    error?: string
    active_run_id?: string
    since?: string
    last_activity_at?: string | null
    reason?: string
    message?: string
    action?: string
  }
  if (res.status === 202 && body.run_id) return body.run_id
  if (res.status === 409 && body.active_run_id) {
    throw new RunBusyError(body.active_run_id, body.since ?? '?', body.last_activity_at ?? null)
  }
  if (body.reason) {
    throw new Error(
      `the run could not start (${body.reason}): ${body.message ?? body.error}${body.action ? `\nWhat to do: ${body.action}` : ''}`,
    )
  }
  throw new Error(`POST /refresh answered ${res.status}: ${body.error ?? 'no run id'}`)
}

/** POST /runs/:id/cancel: closes the run as `abandoned` (reason `cancelled`) and frees the lock. */
export async function cancelRun({
  workerUrl,
  apiToken,
  runId,
  reason,
}: {
  workerUrl: string
  apiToken: string
  runId: string
  reason: string
}): Promise<RunManifest> {
  const res = await fetch(`${workerUrl}/runs/${runId}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: reason.slice(0, 300) }),
    signal: AbortSignal.timeout(5_000),
  })
  if (!res.ok) throw new Error(`POST /runs/${runId}/cancel answered ${res.status}`)
  return RunManifestSchema.parse(await res.json())
}

export async function fetchManifest(
  workerUrl: string,
  apiToken: string,
  runId: string,
): Promise<RunManifest> {
  const res = await fetch(`${workerUrl}/runs/${runId}`, { headers: { authorization: `Bearer ${apiToken}` } })
  if (!res.ok) throw new Error(`GET /runs/${runId} answered ${res.status}`)
  return RunManifestSchema.parse(await res.json())
}

/** One line of progress: units done/total, API calls, rows so far. */
export function progressLine(m: RunManifest): string {
  const units = Object.values(m.units)
  const done = units.filter((u) => u.status !== 'pending' && u.status !== 'deferred').length
  const rows = Object.values(m.tables).reduce((sum, t) => sum + t.rows, 0)
  const blocked = m.blockedUntil
    ? ` · ${m.blockedReason === 'quota_exceeded' ? 'quota used up (QUOTA_EXCEEDED)' : 'rate-limited'} until ${m.blockedUntil}`
    : ''
  return `${m.status.padEnd(9)} units ${done}/${units.length} · API calls ${m.api.calls} · rows ${rows}${blocked}`
}

/** Polls the manifest until the run ends; prints a line whenever progress changes. */
export async function waitForRun({
  workerUrl,
  apiToken,
  runId,
  timeoutMs = 10 * 60_000,
  intervalMs = 1_000,
  say = () => {},
}: {
  workerUrl: string
  apiToken: string
  runId: string
  timeoutMs?: number
  intervalMs?: number
  say?: (line: string) => void
}): Promise<RunManifest> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    const manifest = await fetchManifest(workerUrl, apiToken, runId).catch((err: Error) => err)
    if (!(manifest instanceof Error)) {
      const line = progressLine(manifest)
      if (line !== last) say(line)
      last = line
      if (CLOSED_RUN_STATUSES.has(manifest.status)) return manifest
    }
    if (Date.now() > deadline) {
      const why = manifest instanceof Error ? manifest.message : `still ${manifest.status}`
      throw new Error(`run ${runId} did not finish within ${Math.round(timeoutMs / 1000)} s (${why})`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** What `lake run --json` prints: the manifest's headline figures. */
export function runSummary(m: RunManifest, durationMs: number) {
  return {
    run_id: m.runId,
    dt: m.dt,
    status: m.status,
    kind: runKind(m),
    api_mode: m.apiMode ?? null,
    rows: Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rows])),
    rejected: Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rejected])),
    rejects: m.rejects,
    api_calls: m.api.calls,
    catalog: m.catalog ?? null,
    units: countBy(Object.values(m.units).map((u) => u.status)),
    reconciliation: m.reconciliation ?? null,
    failure: m.failure ? { reason: m.failure.reason, message: m.failure.message } : null,
    accounts: Object.values(m.accounts).map((a) => ({
      account_id: a.accountId,
      status: a.status,
      consent_expires_at: a.expiresAt,
      days_left: a.daysLeft,
      ...(a.failure ? { failure: a.failure.reason } : {}),
    })),
    warnings: m.warnings,
    duration_ms: durationMs,
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) out[v] = (out[v] ?? 0) + 1
  return out
}
