/** @module The contract every `lake` command module implements, and the usage error that means exit 2. */

/** Where a command writes: injected so tests run commands without a process. */
export interface CommandIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface Command {
  /** The word after `lake`. */
  name: string
  /** One line for `lake --help`. */
  summary: string
  /** Full usage text for `lake <name> --help`. */
  usage: string
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run: (options: { args: readonly string[]; io: CommandIo }) => Promise<number> | number
}

/** Bad input from the user: the message is printed with the usage, and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
