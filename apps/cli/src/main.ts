/** @module Process entry point of `lake` (`pnpm lake <command>`): wires argv and stdio to the dispatcher. */
import { runLake } from './cli.ts'

process.exitCode = await runLake({
  argv: process.argv.slice(2),
  io: { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
})
