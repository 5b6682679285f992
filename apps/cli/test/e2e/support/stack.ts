/** @module The real local stack for one e2e test file: a fresh state folder, a free port, torn down after. */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { COMPLETE_UNIT_STATUSES, type RunManifest } from '@spotify-lake/schemas'
import type { FakeSpotify, RecordedRequest } from '@spotify-lake/spotify-client/fake'
import { expect } from 'vitest'
import { REPO_ROOT } from '../../../src/local/pipeline.ts'
import { fetchManifest, type SelectableSource, triggerRun, waitForRun } from '../../../src/local/run-local.ts'
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../src/local/stack.ts'

export interface E2eStack {
  stack: LocalStack
  fake: FakeSpotify
  /** The lake's bucket, over the S3 server's fixed port (valid across stopS3/startS3). */
  store: LakeStore
  /** Temp folder of this stack (S3 data, wrangler state, logs, query cache). */
  dir: string
  close(): Promise<void>
}

export async function startE2eStack(
  options: Omit<LocalStackOptions, 'root' | 'port' | 'stateDir'> = {},
): Promise<E2eStack> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-e2e-'))
  let stack: LocalStack
  try {
    stack = await startLocalStack({ root: REPO_ROOT, port: 0, stateDir: join(dir, 'state'), ...options })
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  const fake = stack.spotify?.fake
  if (!fake) throw new Error('the e2e stack runs against the fake Spotify')
  const { endpoint, bucket, accessKeyId, secretAccessKey } = stack.s3
  const store = createLakeStore({ endpoint, bucket, accessKeyId, secretAccessKey })
  return {
    stack,
    fake,
    store,
    dir,
    async close() {
      await stack.stop()
      // LAKE_E2E_KEEP=1 keeps the folder (S3 data, Workers' log) for a look after a failure.
      if (process.env.LAKE_E2E_KEEP) console.error(`e2e state kept in ${dir}`)
      else await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface RunResult {
  runId: string
  manifest: RunManifest
  /** What the fake Spotify saw while this run went on. */
  requests: RecordedRequest[]
}

/** Starts a run through POST /refresh and follows its manifest to the end. */
export async function runToEnd(
  { stack, fake }: E2eStack,
  {
    dt,
    force = false,
    timeoutMs = 150_000,
    sources,
  }: { dt: string; force?: boolean; timeoutMs?: number; sources?: readonly SelectableSource[] },
): Promise<RunResult> {
  const from = fake.requests.length
  const runId = await triggerRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, dt, force, sources })
  const manifest = await waitForRun({
    workerUrl: stack.workerUrl,
    apiToken: stack.apiToken,
    runId,
    timeoutMs,
    intervalMs: 500,
  }).catch(async (error: Error) => {
    const current = await fetchManifest(stack.workerUrl, stack.apiToken, runId).catch(() => null)
    throw new Error(
      `${error.message}\n${current ? describeRun(current) : ''}\nlast lines of ${stack.logFile}:\n${logTail(stack.logFile)}`,
    )
  })
  return { runId, manifest, requests: fake.requests.slice(from) }
}

/** The end of the Workers' log, for failure messages. */
export function logTail(file: string, lines = 60): string {
  try {
    // The run's own status polls would fill the tail.
    const useful = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/GET \/runs\//.test(line))
    return useful.slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** The manifest's errors and units that did not finish, as one line (for failure messages). */
export function describeRun(m: RunManifest): string {
  const open = Object.entries(m.units)
    .filter(([, u]) => !COMPLETE_UNIT_STATUSES.has(u.status))
    .map(([k, u]) => `${k}=${u.status}${u.error ? ` (${u.error})` : ''}`)
  return `run ${m.runId} ${m.status}; units not done: ${open.join(', ') || 'none'}; errors: ${
    m.errors.map((e) => `${e.unit ?? '-'}: ${e.message}`).join(' | ') || 'none'
  }; tables: ${JSON.stringify(m.tables)}`
}

/** Token-endpoint calls while a run went on (its start included: a new secret is seeded there), by grant type. */
export function tokenCalls(run: RunResult): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of run.requests)
    if (r.path === '/api/token') out[r.grantType ?? '?'] = (out[r.grantType ?? '?'] ?? 0) + 1
  return out
}

/**
 * The token broker's budget: at most one token-endpoint call per brokered token (each account's user
 * token, the app's client-credentials token) per hour of run time, a short run counting as one hour.
 */
export function expectTokenBudget(run: RunResult, { accounts }: { accounts: number }): void {
  const m = run.manifest
  const hours = Math.max(
    1,
    Math.ceil((Date.parse(m.finishedAt ?? m.updatedAt) - Date.parse(m.createdAt)) / 3_600_000),
  )
  const calls = tokenCalls(run)
  expect(calls.refresh_token ?? 0, JSON.stringify(calls)).toBeLessThanOrEqual(accounts * hours)
  expect(calls.client_credentials ?? 0, JSON.stringify(calls)).toBeLessThanOrEqual(hours)
  expect(Object.keys(calls).filter((g) => g !== 'refresh_token' && g !== 'client_credentials')).toEqual([])
}
