/** @module One local run end to end: start the stack, trigger through HTTP, follow, then stop everything. */
import { fileURLToPath } from 'node:url'
import type { RunManifest } from '@spotify-lake/schemas'
import { stopAllOnSignals } from './processes.ts'
import { runSummary, triggerRun, waitForRun } from './run-local.ts'
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
  timeoutMs = 10 * 60_000,
  say = () => {},
  afterRun,
}: {
  stack: Omit<LocalStackOptions, 'root'> & { root?: string }
  force?: boolean
  timeoutMs?: number
  say?: (line: string) => void
  /** Runs while the stack is still up (e.g. an example query over the fresh lake). */
  afterRun?: (stack: LocalStack, result: LocalRunResult) => Promise<T>
}): Promise<LocalRunResult & { after?: T }> {
  let stack: LocalStack | undefined
  const release = stopAllOnSignals(async () => {
    await stack?.stop()
  })
  try {
    stack = await startLocalStack({ root: REPO_ROOT, say, ...stackOptions })
    const started = Date.now()
    const runId = await triggerRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, force })
    say(`run ${runId} started`)
    const manifest = await waitForRun({
      workerUrl: stack.workerUrl,
      apiToken: stack.apiToken,
      runId,
      timeoutMs,
      say: (line) => say(`  ${line}`),
    })
    const durationMs = Date.now() - started
    const result = { manifest, durationMs, summary: runSummary(manifest, durationMs) }
    const after = afterRun ? await afterRun(stack, result) : undefined
    return { ...result, ...(after !== undefined ? { after } : {}) }
  } finally {
    await stack?.stop()
    release()
  }
}
