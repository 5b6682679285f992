/** @module Public API of @spotify-lake/cli: the dispatcher and command contract, for tests and other tools. */
export * from './cli.ts'
export * from './command.ts'
export { commands } from './commands/index.ts'
export * from './commands/schema.ts'
