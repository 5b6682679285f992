/** @module Starts a run through the worker's real HTTP API and follows its manifest to the end. */
import { type RunManifest, RunManifestSchema } from '@spotify-lake/schemas'

export const TERMINAL_STATUSES = ['succeeded', 'partial', 'failed'] as const

export interface TriggerOptions {
  workerUrl: string
  apiToken: string
  force?: boolean
  dt?: string
}

/** POST /refresh; returns the new run id. Errors carry the API's own message. */
export async function triggerRun({
  workerUrl,
  apiToken,
  force = false,
  dt,
}: TriggerOptions): Promise<string> {
  const res = await fetch(`${workerUrl}/refresh`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ force, ...(dt ? { dt } : {}) }),
  })
  const body = (await res.json().catch(() => ({}))) as { run_id?: string; error?: string }
  if (res.status !== 202 || !body.run_id) {
    throw new Error(`POST /refresh answered ${res.status}: ${body.error ?? 'no run id'}`)
  }
  return body.run_id
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
  const blocked = m.blockedUntil ? ` · rate-limited until ${m.blockedUntil}` : ''
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
      if ((TERMINAL_STATUSES as readonly string[]).includes(manifest.status)) return manifest
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
    api_mode: m.apiMode ?? null,
    rows: Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rows])),
    rejected: Object.fromEntries(Object.entries(m.tables).map(([t, s]) => [t, s.rejected])),
    rejects: m.rejects,
    api_calls: m.api.calls,
    units: countBy(Object.values(m.units).map((u) => u.status)),
    reconciliation: m.reconciliation ?? null,
    duration_ms: durationMs,
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) out[v] = (out[v] ?? 0) + 1
  return out
}
