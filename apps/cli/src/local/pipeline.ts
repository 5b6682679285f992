/** @module One local run end to end: start the stack, trigger through HTTP, follow, then stop everything. */
import { fileURLToPath } from 'node:url'
import type { RunManifest } from '@spotify-lake/schemas'
import { stopAllOnSignals } from './processes.ts'
import {
  cancelRun,
  RunBusyError,
  runSummary,
  type SelectableSource,
  triggerRun,
  waitForRun,
} from './run-local.ts'
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts'

/** The repository root, from this file's place in apps/cli/src/local. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export interface LocalRunResult {
  manifest: RunManifest
  durationMs: number
  summary: ReturnType<typeof runSummary>
}

export async function runLocalPipeline<T>({
  stack: stackOptions,
  force = false,
  sources,
  timeoutMs = 10 * 60_000,
  say = () => {},
  afterRun,
}: {
  stack: Omit<LocalStackOptions, 'root'> & { root?: string }
  force?: boolean
  /** Only these sources (e.g. `recently_played`: a plays poll); absent: the local stack's daily sources. */
  sources?: readonly SelectableSource[] | undefined
  timeoutMs?: number
  say?: (line: string) => void
  /** Runs while the stack is still up (e.g. an example query over the fresh lake). */
  afterRun?: (stack: LocalStack, result: LocalRunResult) => Promise<T>
}): Promise<LocalRunResult & { after?: T }> {
  let stack: LocalStack | undefined
  let runId: string | undefined
  let closed = false
  /** The run this CLI started is closed when the CLI stops before it ends: its lock never outlives us. */
  const cancel = async (reason: string) => {
    if (!stack || !runId || closed) return
    closed = true
    await cancelRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, runId, reason }).catch(() => {})
  }
  const release = stopAllOnSignals((signal) => cancel(`stopped by the user (${signal})`))
  try {
    stack = await startLocalStack({ root: REPO_ROOT, say, ...stackOptions })
    const started = Date.now()
    runId = await startFreshRun(stack, { force, sources, say })
    say(`run ${runId} started`)
    const manifest = await waitForRun({
      workerUrl: stack.workerUrl,
      apiToken: stack.apiToken,
      runId,
      timeoutMs,
      say: (line) => say(`  ${line}`),
    })
    closed = true
    const durationMs = Date.now() - started
    const result = { manifest, durationMs, summary: runSummary(manifest, durationMs) }
    const after = afterRun ? await afterRun(stack, result) : undefined
    return { ...result, ...(after !== undefined ? { after } : {}) }
  } catch (error) {
    await cancel(`lake stopped following it: ${error instanceof Error ? error.message : String(error)}`)
    throw error
  } finally {
    await stack?.stop()
    release()
  }
}

/**
 * POST /refresh. A run still open from a local stack that was stopped before it finished (no report
 * since this stack started: its queued work died with that stack) is cancelled, and the start retried
 * once; a run that is live gets the CLI's answer (`--force`).
 */
async function startFreshRun(
  stack: LocalStack,
  {
    force,
    sources,
    say,
  }: { force: boolean; sources?: readonly SelectableSource[] | undefined; say: (line: string) => void },
): Promise<string> {
  const trigger = () => triggerRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, force, sources })
  try {
    return await trigger()
  } catch (error) {
    if (!(error instanceof RunBusyError)) throw error
    const last = Date.parse(error.lastActivityAt ?? error.since)
    if (!(last < stack.startedAt)) throw error
    say(
      `run ${error.activeRunId} was left open by a stopped local stack (last activity ${error.lastActivityAt ?? error.since}): cancelling it`,
    )
    await cancelRun({
      workerUrl: stack.workerUrl,
      apiToken: stack.apiToken,
      runId: error.activeRunId,
      reason: 'its local stack was stopped before the run finished; the next lake run cancelled it',
    })
    return trigger()
  }
}
