/** @module Child processes of the local stack: own process groups, logs to files, nothing left behind. */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export interface ManagedProcess {
  name: string
  pid: number
  /** Resolves with the exit code when the process ends, however it ends. */
  exited: Promise<number | null>
  /** The last lines it printed (for error messages). */
  tail(): string
  stop(): Promise<void>
}

const running = new Set<ManagedProcess>()

/** Starts `command` in its own process group (so its children die with it), logging to `logFile`. */
export function startProcess({
  name,
  command,
  args,
  cwd,
  env,
  logFile,
  onLine,
}: {
  name: string
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  logFile: string
  onLine?: (line: string) => void
}): ManagedProcess {
  mkdirSync(dirname(logFile), { recursive: true })
  const log = createWriteStream(logFile, { flags: 'a' })
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const recent: string[] = []
  const onData = (chunk: Buffer) => {
    log.write(chunk)
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue
      recent.push(line)
      if (recent.length > 40) recent.shift()
      onLine?.(line)
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.once('error', (err) => {
      recent.push(`failed to start ${command}: ${err.message}`)
      resolve(null)
    })
  })
  const proc: ManagedProcess = {
    name,
    pid: child.pid ?? -1,
    exited,
    tail: () => recent.join('\n'),
    async stop() {
      running.delete(proc)
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        killGroup(child.pid, 'SIGTERM')
        const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
      // Children of the group (workerd) may outlive the leader by a moment.
      if (child.pid) killGroup(child.pid, 'SIGKILL')
      await new Promise<void>((resolve) => log.end(resolve))
    },
  }
  running.add(proc)
  return proc
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/** Stops every process this module started (reverse start order). */
export async function stopAll(): Promise<void> {
  for (const proc of [...running].reverse()) await proc.stop()
}

/** Cleanups to run however the CLI is stopped (a stack half started, config copies written...). */
const cleanups: (() => Promise<void>)[] = []

/**
 * Registers `cleanup` to run when a signal stops the CLI; returns a function that unregisters it
 * (call it once the cleanup has run by itself).
 */
export function onStop(cleanup: () => Promise<void>): () => void {
  cleanups.push(cleanup)
  return () => {
    const i = cleanups.indexOf(cleanup)
    if (i >= 0) cleanups.splice(i, 1)
  }
}

/** The ways a user stops `lake`: Ctrl-C, `kill`, closing the terminal. Exit code 128 + the signal's number. */
export const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const satisfies Partial<
  Record<NodeJS.Signals, number>
>

/**
 * Ctrl-C, SIGTERM and SIGHUP (the terminal closing) run `first` (e.g. cancel the run), then every
 * registered cleanup (newest first: the stack's processes, its config copies), then exit.
 */
export function stopAllOnSignals(
  first: (signal: NodeJS.Signals) => Promise<void> = async () => {},
): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    // The terminal may be gone (SIGHUP): a failed write must not end the CLI before its cleanup.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})
    try {
      process.stderr.write(`\n${signal}: stopping the local stack...\n`)
    } catch {}
    const code = 128 + STOP_SIGNALS[signal as keyof typeof STOP_SIGNALS]
    void (async () => {
      await first(signal).catch(() => {})
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
      await stopAll().catch(() => {})
    })().finally(() => process.exit(code))
  }
  for (const signal of Object.keys(STOP_SIGNALS)) process.on(signal, handler)
  return () => {
    for (const signal of Object.keys(STOP_SIGNALS)) process.off(signal, handler)
  }
}
