/** @module Process entry point of `lake` (`pnpm lake <command>`): wires argv and stdio to the dispatcher. */
import { runLake } from './cli.ts'

// A closed terminal or pipe (EIO, EPIPE) must not crash the CLI before it has stopped what it started.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})

process.exitCode = await runLake({
  argv: process.argv.slice(2),
  io: { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
})
