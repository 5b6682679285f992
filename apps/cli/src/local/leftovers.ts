/**
 * @module What a local stack leaves on disk while it runs, kept private and cleaned up: its config
 * copies (they hold the client secret, the refresh token and the API token) in an owner-only folder,
 * and a record of the processes it started, so the next start can end those of a stack that was
 * killed outright (SIGKILL cannot be caught).
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The folder of the config copies: owner-only (0700), whatever umask and earlier runs left. */
export function privateFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 })
  chmodSync(path, 0o700)
  return path
}

/** Writes `text` readable by its owner only (0600), also when the file existed with other modes. */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 })
  chmodSync(path, 0o600)
}

/** `<stateDir>/stack.json`: the running stack's CLI and wrangler process ids. */
const recordOf = (stateDir: string) => join(stateDir, 'stack.json')

interface StackRecord {
  /** The `lake` process that started the stack. */
  cliPid: number
  /** wrangler dev, leader of its own process group (workerd runs in that group). */
  wranglerPid: number
  /** A path only this state folder's wrangler has on its command line (guards against reused pids). */
  marker: string
  startedAt: string
}

export function recordStack(stateDir: string, record: StackRecord): void {
  writePrivateFile(recordOf(stateDir), `${JSON.stringify(record, null, 2)}\n`)
}

export function forgetStack(stateDir: string): void {
  rmSync(recordOf(stateDir), { force: true })
}

/** The command line of a live process, or null (gone, or not ours to see). */
function commandOf(pid: number): string | null {
  try {
    process.kill(pid, 0)
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

/** Waits (blocking, at most `timeoutMs`) until no process of the group `pgid` is left. */
function waitForGroupExit(pgid: number, timeoutMs = 5_000): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0)
    } catch {
      return
    }
    Atomics.wait(pause, 0, 0, 50)
  }
}

/**
 * Before a stack starts in `stateDir`: refuses when another live `lake` runs a stack there, and
 * otherwise ends what a killed one left (its wrangler process group, when its command line is still
 * the one recorded) and removes leftover config copies. Returns what it cleaned up, for the user.
 */
export function cleanUpAfterKilledStack({
  stateDir,
  configDir,
}: {
  stateDir: string
  configDir: string
}): string[] {
  const done: string[] = []
  const path = recordOf(stateDir)
  if (existsSync(path)) {
    let record: StackRecord | null = null
    try {
      record = JSON.parse(readFileSync(path, 'utf8')) as StackRecord
    } catch {
      // A torn record: the config copies below still go.
    }
    const wranglerAlive = record !== null && (commandOf(record.wranglerPid)?.includes(record.marker) ?? false)
    if (record && wranglerAlive && record.cliPid !== process.pid && commandOf(record.cliPid) !== null) {
      throw new Error(
        `another lake (pid ${record.cliPid}) runs a local stack in ${stateDir} since ${record.startedAt}: stop it first, or set LAKE_STATE_DIR to another folder`,
      )
    }
    if (record && wranglerAlive) {
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        try {
          process.kill(-record.wranglerPid, signal)
        } catch {
          // Already gone.
        }
      }
      // A killed process still holds its ports until it has exited: the start that follows needs them.
      waitForGroupExit(record.wranglerPid)
      done.push(`ended wrangler dev (process group ${record.wranglerPid}) left by a stopped lake`)
    }
    rmSync(path, { force: true })
  }
  if (existsSync(configDir)) {
    const copies = readdirSync(configDir).filter((name) => name.endsWith('.jsonc'))
    for (const name of copies) rmSync(join(configDir, name), { force: true })
    if (copies.length > 0) done.push(`removed ${copies.length} config copies left in ${configDir}`)
  }
  return done
}
