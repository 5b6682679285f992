/** @module `--engine athena` against a stub Athena client (no AWS here): requests, polling, paging, values. */
// The real SDK command classes are built and inspected; only the transport is replaced.
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionOutput,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena'
import { describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { AthenaQueryError, fromAthenaValue, runAthenaQuery } from '../src/query/athena.ts'
import { findInsight } from '../src/query/insights.ts'
import { captureIo } from './support/capture.ts'

type Sent = { name: string; input: Record<string, unknown> }

/** Answers each command from scripted replies and records what was sent, in order. */
function stubAthena({
  states,
  pages = [],
  statementType = 'DML',
  error,
}: {
  states: string[]
  pages?: GetQueryResultsOutput[]
  statementType?: string
  error?: string
}) {
  const sent: Sent[] = []
  let poll = 0
  let page = 0
  const client = {
    async send(command: unknown) {
      const input = (command as { input: Record<string, unknown> }).input
      if (command instanceof StartQueryExecutionCommand) {
        sent.push({ name: 'Start', input })
        return { QueryExecutionId: 'qe-1' }
      }
      if (command instanceof GetQueryExecutionCommand) {
        sent.push({ name: 'GetExecution', input })
        const state = states[Math.min(poll++, states.length - 1)]
        return {
          QueryExecution: {
            StatementType: statementType,
            Status: { State: state, ...(error ? { AthenaError: { ErrorMessage: error } } : {}) },
          },
        } as GetQueryExecutionOutput
      }
      if (command instanceof GetQueryResultsCommand) {
        sent.push({ name: 'GetResults', input })
        return pages[page++]
      }
      if (command instanceof StopQueryExecutionCommand) {
        sent.push({ name: 'Stop', input })
        return {}
      }
      throw new Error(`unexpected command ${String(command)}`)
    },
  }
  return { client: client as unknown as Pick<AthenaClient, 'send'>, sent }
}

const row = (...values: (string | undefined)[]) => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
})
const COLUMNS = [
  { Name: 'artist_id', Type: 'varchar' },
  { Name: 'plays', Type: 'bigint' },
  { Name: 'share', Type: 'double' },
  { Name: 'explicit', Type: 'boolean' },
  { Name: 'at', Type: 'timestamp' },
  { Name: 'ids', Type: 'array' },
]
const PAGES: GetQueryResultsOutput[] = [
  {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS },
      Rows: [
        row('artist_id', 'plays', 'share', 'explicit', 'at', 'ids'),
        row('ar1', '3', '0.5', 'true', '2026-11-21 12:00:00.000', '[a, b]'),
      ],
    },
    NextToken: 'page-2',
  },
  {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS },
      Rows: [row('ar2', '9007199254740993', undefined, 'false', undefined, '[]')],
    },
  },
]

describe('runAthenaQuery', () => {
  it('starts the query in the workgroup and database, polls with doubling delays, pages through results', async () => {
    const { client, sent } = stubAthena({
      states: ['QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED'],
      pages: PAGES,
    })
    const sleeps: number[] = []
    const result = await runAthenaQuery({
      client,
      sql: 'SELECT 1',
      workgroup: 'spotify-lake-dev',
      database: 'spotify_lake_dev',
      maxPollMs: 1_500,
      sleep: async (ms) => {
        sleeps.push(ms)
      },
    })
    expect(sent[0]).toEqual({
      name: 'Start',
      input: {
        QueryString: 'SELECT 1',
        WorkGroup: 'spotify-lake-dev',
        QueryExecutionContext: { Database: 'spotify_lake_dev', Catalog: 'AwsDataCatalog' },
        ClientRequestToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    })
    expect(sent.filter((s) => s.name === 'GetExecution').map((s) => s.input)).toEqual(
      Array(5).fill({ QueryExecutionId: 'qe-1' }),
    )
    expect(sleeps).toEqual([250, 500, 1000, 1500])
    expect(sent.filter((s) => s.name === 'GetResults').map((s) => s.input)).toEqual([
      { QueryExecutionId: 'qe-1', MaxResults: 1000, NextToken: undefined },
      { QueryExecutionId: 'qe-1', MaxResults: 1000, NextToken: 'page-2' },
    ])
    expect(result).toEqual({
      columns: ['artist_id', 'plays', 'share', 'explicit', 'at', 'ids'],
      rows: [
        ['ar1', 3, 0.5, true, '2026-11-21T12:00:00.000Z', '[a, b]'],
        ['ar2', '9007199254740993', null, false, null, '[]'],
      ],
    })
  })

  it('keeps the first row of a statement that is not a SELECT (no header row then)', async () => {
    const { client } = stubAthena({
      states: ['SUCCEEDED'],
      statementType: 'UTILITY',
      pages: [
        {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] },
            Rows: [row('tracks')],
          },
        },
      ],
    })
    const result = await runAthenaQuery({ client, sql: 'SHOW TABLES', workgroup: 'w', database: 'd' })
    expect(result.rows).toEqual([['tracks']])
  })

  it.each(['FAILED', 'CANCELLED'])('throws Athena’s reason when the query is %s', async (state) => {
    const { client, sent } = stubAthena({
      states: [state],
      error: "line 1:8: Column 'nope' cannot be resolved",
    })
    await expect(
      runAthenaQuery({ client, sql: 'SELECT nope', workgroup: 'w', database: 'd' }),
    ).rejects.toThrow(
      new AthenaQueryError(
        `Athena query qe-1 ${state.toLowerCase()}: line 1:8: Column 'nope' cannot be resolved`,
      ),
    )
    expect(sent.some((s) => s.name === 'GetResults')).toBe(false)
  })

  it('stops the query and fails after the time limit', async () => {
    const { client, sent } = stubAthena({ states: ['RUNNING'] })
    let clock = 0
    await expect(
      runAthenaQuery({
        client,
        sql: 'SELECT 1',
        workgroup: 'w',
        database: 'd',
        timeoutMs: 10_000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms
        },
      }),
    ).rejects.toThrow(/did not finish within 10 s; it was stopped/)
    expect(sent.at(-1)).toEqual({ name: 'Stop', input: { QueryExecutionId: 'qe-1' } })
  })
})

describe('fromAthenaValue', () => {
  it.each([
    ['42', 'integer', 42],
    ['-9223372036854775808', 'bigint', '-9223372036854775808'],
    ['1.25', 'decimal(10,2)', 1.25],
    ['NaN', 'double', 'NaN'],
    ['2026-11-21 00:00:00.000 UTC', 'timestamp with time zone', '2026-11-21T00:00:00.000Z'],
    ['2026-11-21', 'date', '2026-11-21'],
    ['x', undefined, 'x'],
    [undefined, 'varchar', null],
  ] as const)('%s as %s', (text, type, expected) => {
    expect(fromAthenaValue(text, type)).toEqual(expected)
  })
})

describe('lake query --engine athena', () => {
  it('runs an insight in the workgroup and database from the environment (flags override)', async () => {
    const { client, sent } = stubAthena({ states: ['SUCCEEDED'], pages: PAGES })
    const io = captureIo()
    const command = createQueryCommand({
      env: { LAKE_ATHENA_WORKGROUP: 'wg-env', LAKE_GLUE_DATABASE: 'db-env' },
      athenaClient: () => client,
    })
    const argv = ['query', '--engine', 'athena', '--insight', 'top-artists', '--format', 'csv']
    expect(await runLake({ argv, io, commands: [command] })).toBe(0)
    expect(sent[0]!.input).toMatchObject({
      QueryString: (await findInsight({ name: 'top-artists' }))!.sql,
      WorkGroup: 'wg-env',
      QueryExecutionContext: { Database: 'db-env' },
    })
    expect(io.out()).toBe(
      'artist_id,plays,share,explicit,at,ids\r\nar1,3,0.5,true,2026-11-21T12:00:00.000Z,"[a, b]"\r\nar2,9007199254740993,,false,,[]\r\n',
    )

    const second = stubAthena({ states: ['SUCCEEDED'], pages: PAGES })
    const flags = createQueryCommand({
      env: { LAKE_ATHENA_WORKGROUP: 'wg-env', LAKE_GLUE_DATABASE: 'db-env' },
      athenaClient: () => second.client,
    })
    const args = ['query', 'SELECT 1', '--engine', 'athena', '--workgroup', 'wg', '--database', 'db']
    expect(await runLake({ argv: args, io: captureIo(), commands: [flags] })).toBe(0)
    expect(second.sent[0]!.input).toMatchObject({
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'db' },
    })
  })

  it('exits 1 with Athena’s message when the query fails', async () => {
    const { client } = stubAthena({
      states: ['FAILED'],
      error: 'TABLE_NOT_FOUND: line 1:15: Table songs does not exist',
    })
    const io = captureIo()
    const command = createQueryCommand({ env: {}, athenaClient: () => client })
    const argv = ['query', 'SELECT * FROM songs', '--engine', 'athena', '--workgroup', 'w', '--database', 'd']
    expect(await runLake({ argv, io, commands: [command] })).toBe(1)
    expect(io.err()).toBe(
      'lake query: Athena query qe-1 failed: TABLE_NOT_FOUND: line 1:15: Table songs does not exist\n',
    )
  })
})
