/** @module The dispatcher: help, unknown commands, usage errors and failures map to exit codes. */
import { describe, expect, it } from 'vitest'
import { type Command, runLake, UsageError } from '../src/index.ts'
import { captureIo } from './support/capture.ts'

const fake: Command[] = [
  {
    name: 'ok',
    summary: 'prints',
    usage: 'Usage: lake ok',
    run: ({ args, io }) => {
      io.stdout(args.join(','))
      return 0
    },
  },
  {
    name: 'bad',
    summary: 'usage error',
    usage: 'Usage: lake bad X',
    run: () => {
      throw new UsageError('X is required')
    },
  },
  {
    name: 'boom',
    summary: 'fails',
    usage: 'Usage: lake boom',
    run: async () => {
      throw new Error('disk on fire')
    },
  },
]

describe('runLake', () => {
  it('runs the named command with the remaining arguments', async () => {
    const io = captureIo()
    expect(await runLake({ argv: ['ok', 'a', 'b'], io, commands: fake })).toBe(0)
    expect(io.out()).toBe('a,b')
  })

  it('prints help listing every command for --help, -h and help', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const io = captureIo()
      expect(await runLake({ argv: [flag], io, commands: fake })).toBe(0)
      expect(io.out()).toMatch(/Usage: lake <command>/)
      expect(io.out()).toMatch(/ {2}ok {4}prints\n {2}bad {3}usage error\n {2}boom {2}fails/)
      // The ./lake script's own commands (README names them) are listed too.
      expect(io.out()).toMatch(/\n {2}test {3}every check CI runs.*\n {2}bench .*\n {2}pnpm /)
    }
  })

  it('exits 2 with help on stderr when no command is given', async () => {
    const io = captureIo()
    expect(await runLake({ argv: [], io, commands: fake })).toBe(2)
    expect(io.err()).toMatch(/Usage: lake <command>/)
  })

  it('exits 2 on an unknown command, listing the known ones', async () => {
    const io = captureIo()
    expect(await runLake({ argv: ['nope'], io, commands: fake })).toBe(2)
    expect(io.err()).toMatch(/unknown command "nope"; commands: ok, bad, boom/)
    expect(io.out()).toBe('')
  })

  it('prints a command usage for <command> --help', async () => {
    const io = captureIo()
    expect(await runLake({ argv: ['bad', '--help'], io, commands: fake })).toBe(0)
    expect(io.out()).toBe('Usage: lake bad X\n')
  })

  it('exits 2 with message and usage on a usage error, 1 on any other failure', async () => {
    const usage = captureIo()
    expect(await runLake({ argv: ['bad'], io: usage, commands: fake })).toBe(2)
    expect(usage.err()).toBe('lake bad: X is required\n\nUsage: lake bad X\n')
    const failure = captureIo()
    expect(await runLake({ argv: ['boom'], io: failure, commands: fake })).toBe(1)
    expect(failure.err()).toBe('lake boom: disk on fire\n')
  })

  it('registers the schema command by default', async () => {
    const io = captureIo()
    expect(await runLake({ argv: ['--help'], io })).toBe(0)
    expect(io.out()).toMatch(/^ {2}schema +Print the schemas/m)
  })
})
