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

/** Ctrl-C and SIGTERM stop the whole stack before the CLI exits. */
export function stopAllOnSignals(cleanup: () => Promise<void>): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`\n${signal}: stopping the local stack...\n`)
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
