/** @module The `lake` dispatcher: `lake <command> [...args]`, help, and exit codes (0 ok, 1 failure, 2 usage). */
import { type Command, type CommandIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './command.ts'
import { commands as defaultCommands } from './commands/index.ts'

export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'Usage: lake <command> [options]',
    '',
    'Local tooling for spotify-lake.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'The ./lake script also runs (no options of their own):',
    '  test   every check CI runs: biome, lint, typecheck, Worker bundles, all tests with e2e',
    '  bench  the benchmarks; figures go to BENCHMARKS.md',
    '  pnpm   pnpm on the pinned Node (./lake pnpm <args>)',
    '',
    'Run `lake <command> --help` for the options of a command.',
  ].join('\n')
}

export interface RunLakeOptions {
  /** Arguments after `lake`, e.g. `['schema', '--format', 'glue']`. */
  argv: readonly string[]
  io: CommandIo
  commands?: readonly Command[]
}

/** Runs one command; resolves to the exit code instead of exiting, so tests can call it. */
export async function runLake({ argv, io, commands = defaultCommands }: RunLakeOptions): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined) {
    io.stderr(`${helpText(commands)}\n`)
    return EXIT_USAGE
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(`${helpText(commands)}\n`)
    return EXIT_OK
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(
      `lake: unknown command ${JSON.stringify(name)}; commands: ${commands.map((c) => c.name).join(', ')}\n`,
    )
    io.stderr('Run `lake --help` for usage.\n')
    return EXIT_USAGE
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return EXIT_OK
  }
  try {
    return await command.run({ args, io })
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lake ${command.name}: ${error.message}\n\n${command.usage}\n`)
      return EXIT_USAGE
    }
    // node:util parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      io.stderr(`lake ${command.name}: ${(error as Error).message}\n\n${command.usage}\n`)
      return EXIT_USAGE
    }
    io.stderr(`lake ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT_FAILURE
  }
}
