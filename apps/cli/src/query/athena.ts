/** @module The deployed engine: the same SQL on Athena (start, poll with backoff, page through the results). */
import { randomUUID } from 'node:crypto'
import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena'
import { fromAthenaValue } from '@spotify-lake/dashboard/athena'
import type { QueryResult } from './result.ts'

/** Athena said no: the query failed or was cancelled. The message is Athena's own. */
export class AthenaQueryError extends Error {
  override name = 'AthenaQueryError'
}

export interface RunAthenaQueryOptions {
  /** An AthenaClient, or anything with its `send` (tests pass a stub). */
  client: Pick<AthenaClient, 'send'>
  sql: string
  workgroup: string
  database: string
  /** Glue Data Catalog by default. */
  catalog?: string
  /** First poll delay; doubles up to `maxPollMs`. */
  pollMs?: number
  maxPollMs?: number
  /** Give up (and stop the query, so it stops costing) after this long. */
  timeoutMs?: number
  /** Rows per GetQueryResults page (Athena allows up to 1000). */
  pageSize?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The one conversion of Athena's text cells, shared with the Worker's dashboard (packages/dashboard). */
export { fromAthenaValue }

async function waitForQuery({
  client,
  id,
  pollMs,
  maxPollMs,
  timeoutMs,
  sleep,
  now,
}: Required<
  Pick<RunAthenaQueryOptions, 'client' | 'pollMs' | 'maxPollMs' | 'timeoutMs' | 'sleep' | 'now'>
> & {
  id: string
}): Promise<string | undefined> {
  const started = now()
  for (let delay = pollMs; ; delay = Math.min(delay * 2, maxPollMs)) {
    const { QueryExecution: execution } = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    )
    const state = execution?.Status?.State
    if (state === 'SUCCEEDED') return execution?.StatementType
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason
      throw new AthenaQueryError(`Athena query ${id} ${state.toLowerCase()}${reason ? `: ${reason}` : ''}`)
    }
    if (now() - started >= timeoutMs) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined)
      throw new AthenaQueryError(
        `Athena query ${id} did not finish within ${Math.round(timeoutMs / 1000)} s; it was stopped`,
      )
    }
    await sleep(delay)
  }
}

/**
 * Runs one statement in the workgroup (which enforces the results location and scan limit) against
 * the Glue database, and reads every page of the result.
 */
export async function runAthenaQuery({
  client,
  sql,
  workgroup,
  database,
  catalog = 'AwsDataCatalog',
  pollMs = 250,
  maxPollMs = 5_000,
  timeoutMs = 15 * 60_000,
  pageSize = 1000,
  sleep = defaultSleep,
  now = Date.now,
}: RunAthenaQueryOptions): Promise<QueryResult> {
  const { QueryExecutionId: id } = await client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: workgroup,
      QueryExecutionContext: { Database: database, Catalog: catalog },
      // Idempotency: an SDK retry of this call must not start a second (billed) query.
      ClientRequestToken: randomUUID(),
    }),
  )
  if (!id) throw new AthenaQueryError('Athena did not return a query execution id')
  const statementType = await waitForQuery({ client, id, pollMs, maxPollMs, timeoutMs, sleep, now })

  let columnInfo: ColumnInfo[] = []
  const rows: Row[] = []
  let token: string | undefined
  let first = true
  do {
    const page = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: pageSize, NextToken: token }),
    )
    if (first) columnInfo = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []
    const pageRows = page.ResultSet?.Rows ?? []
    // The first row of a SELECT's first page repeats the column labels.
    rows.push(...(first && statementType === 'DML' ? pageRows.slice(1) : pageRows))
    token = page.NextToken
    first = false
  } while (token)

  const columns = columnInfo.map((c) => c.Name ?? '')
  return {
    columns,
    rows: rows.map((row) =>
      columns.map((_, c) => fromAthenaValue(row.Data?.[c]?.VarCharValue, columnInfo[c]?.Type)),
    ),
  }
}
