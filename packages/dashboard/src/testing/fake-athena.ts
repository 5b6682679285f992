/**
 * @module A local stand-in for Athena's HTTP API (JSON 1.1: StartQueryExecution, GetQueryExecution,
 * GetQueryResults, StopQueryExecution) for tests of the Worker in workerd. It is never more lenient than
 * Athena: it verifies every SigV4 signature with the AWS SDK's signer (independent of aws4fetch, which
 * the Worker signs with), scoped to service `athena`; it refuses unknown keys, unknown workgroups and
 * query ids, results asked before the query finished, a missing ClientRequestToken, and any action the
 * caller's grant does not list. Queries run on the `execute` the test gives (DuckDB over the test lake).
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AthenaFault, authenticate, invalid } from './athena-auth.ts'

/** What the engine answered: Athena column types and every cell as Athena's text (null for NULL). */
export interface FakeAthenaResult {
  columns: { name: string; type: string }[]
  rows: (string | null)[][]
}

export interface FakeAthenaOptions {
  region: string
  workgroup: string
  /** Key pairs Athena knows, each with the Athena actions its IAM policy allows (e.g. `athena:StartQueryExecution`). */
  identities: Record<string, { secretAccessKey: string; actions: readonly string[] }>
  execute: (sql: string, database: string) => Promise<FakeAthenaResult>
}

export interface FakeAthena {
  endpoint: string
  /** Every query started, in order (tests count them: a cached answer costs none). */
  readonly queries: { id: string; sql: string; accessKeyId: string }[]
  close(): Promise<void>
}

interface Execution {
  id: string
  sql: string
  database: string
  token: string
  accessKeyId: string
  polls: number
  result?: FakeAthenaResult
  error?: string
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'
}

export async function startFakeAthena(options: FakeAthenaOptions): Promise<FakeAthena> {
  const executions = new Map<string, Execution>()
  const queries: FakeAthena['queries'] = []
  const byToken = new Map<string, Execution>()

  const find = (input: Record<string, unknown>, accessKeyId: string) => {
    const id = String(input.QueryExecutionId ?? '')
    const execution = executions.get(id)
    // Another identity's query is as unknown as a made-up id.
    if (!execution || execution.accessKeyId !== accessKeyId)
      throw invalid(`QueryExecution ${id} was not found`)
    return execution
  }

  const actions: Record<string, (input: Record<string, unknown>, accessKeyId: string) => Promise<unknown>> = {
    async StartQueryExecution(input, accessKeyId) {
      const token = String(input.ClientRequestToken ?? '')
      if (token.length < 32 || token.length > 128)
        throw invalid(
          'ClientRequestToken must be 32 to 128 characters (callers without an AWS SDK must send one)',
        )
      if (input.WorkGroup !== options.workgroup)
        throw invalid(`WorkGroup ${String(input.WorkGroup)} is not found.`)
      const sql = String(input.QueryString ?? '')
      const database = String(
        (input.QueryExecutionContext as { Database?: string } | undefined)?.Database ?? '',
      )
      const seen = byToken.get(token)
      if (seen) {
        if (seen.sql !== sql) throw invalid('Idempotent parameters do not match')
        return { QueryExecutionId: seen.id }
      }
      const execution: Execution = {
        id: randomUUID(),
        sql,
        database,
        token,
        accessKeyId,
        polls: 0,
        state: 'QUEUED',
      }
      executions.set(execution.id, execution)
      byToken.set(token, execution)
      queries.push({ id: execution.id, sql, accessKeyId })
      options.execute(sql, database).then(
        (result) => {
          execution.result = result
        },
        (error: Error) => {
          execution.error = error.message
        },
      )
      return { QueryExecutionId: execution.id }
    },
    async GetQueryExecution(input, accessKeyId) {
      const e = find(input, accessKeyId)
      // At least one poll sees it running, as a real query is.
      e.polls++
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.state = e.polls < 2 ? 'RUNNING' : e.result ? 'SUCCEEDED' : e.error ? 'FAILED' : 'RUNNING'
      }
      return {
        QueryExecution: {
          QueryExecutionId: e.id,
          Query: e.sql,
          StatementType: 'DML',
          WorkGroup: options.workgroup,
          Status: { State: e.state, ...(e.error ? { AthenaError: { ErrorMessage: e.error } } : {}) },
        },
      }
    },
    async GetQueryResults(input, accessKeyId) {
      const e = find(input, accessKeyId)
      if (e.state !== 'SUCCEEDED') throw invalid(`Query has not yet finished. Current state: ${e.state}`)
      const max = Number(input.MaxResults ?? 1000)
      if (!(max >= 1 && max <= 1000)) throw invalid('MaxResults must be between 1 and 1000')
      const result = e.result!
      const all = [result.columns.map((c) => c.name), ...result.rows]
      const start = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64').toString()) : 0
      if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalid('NextToken is not valid')
      const page = all.slice(start, start + max)
      const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64') : undefined
      return {
        ResultSet: {
          ResultSetMetadata: {
            ColumnInfo: result.columns.map((c) => ({ Name: c.name, Label: c.name, Type: c.type })),
          },
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        },
        ...(next ? { NextToken: next } : {}),
        UpdateCount: 0,
      }
    },
    async StopQueryExecution(input, accessKeyId) {
      const e = find(input, accessKeyId)
      if (e.state === 'QUEUED' || e.state === 'RUNNING') e.state = 'CANCELLED'
      return {}
    },
  }

  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/__fake/queries') {
      // For tests only (Athena has no such route): how many queries were started.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(queries))
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const answer = (status: number, json: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json))
    try {
      const accessKeyId = await authenticate(req, body, options)
      const target = /^AmazonAthena\.(\w+)$/.exec(String(req.headers['x-amz-target'] ?? ''))?.[1]
      const action = target ? actions[target] : undefined
      if (req.method !== 'POST' || !action)
        throw new AthenaFault(400, 'UnknownOperationException', 'Unknown operation')
      if (!options.identities[accessKeyId]!.actions.includes(`athena:${target}`))
        throw new AthenaFault(
          400,
          'AccessDeniedException',
          `User: ${accessKeyId} is not authorized to perform: athena:${target} on resource: workgroup/${options.workgroup}`,
        )
      let input: Record<string, unknown>
      try {
        input = JSON.parse(body.toString('utf8') || '{}')
      } catch {
        throw new AthenaFault(
          400,
          'SerializationException',
          'Start of structure or map found where not expected.',
        )
      }
      answer(200, await action(input, accessKeyId))
    } catch (error) {
      if (error instanceof AthenaFault) answer(error.status, { __type: error.type, Message: error.message })
      else answer(500, { __type: 'InternalServerException', Message: String(error) })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
