/**
 * @module An insight on Athena through its HTTP API (JSON 1.1 protocol, SigV4 by aws4fetch): start the
 * query in the workgroup, poll its state with backoff, page through the results. Runs in workerd and
 * Node. Source: the Athena API Reference (StartQueryExecution, GetQueryExecution, GetQueryResults).
 */
import type { AwsClient } from 'aws4fetch'
import type { InsightValue } from './contract.ts'

/** Athena refused or failed the query; `code` is its error type (`InvalidRequestException`...) or the state. */
export class AthenaError extends Error {
  override name = 'AthenaError'
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

export interface AthenaTarget {
  /** `https://athena.<region>.amazonaws.com`, or a local stand-in. */
  endpoint: string
  workgroup: string
  database: string
  catalog?: string
}

interface ColumnInfo {
  Name: string
  Type: string
}
interface ResultsPage {
  ResultSet?: {
    ResultSetMetadata?: { ColumnInfo?: ColumnInfo[] }
    Rows?: { Data?: { VarCharValue?: string }[] }[]
  }
  NextToken?: string
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint'])
const FLOAT_TYPES = new Set(['double', 'real', 'float', 'decimal'])
const ATHENA_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: UTC)?$/

/**
 * Athena gives every cell as text; its column type makes it what DuckDB gives locally: numbers (64-bit
 * only when exact, else the text), booleans, timestamps as ISO strings, dates as YYYY-MM-DD. Arrays and
 * rows stay Athena's text.
 */
export function fromAthenaValue(text: string | undefined, type: string | undefined): InsightValue {
  if (text === undefined) return null
  const base = (type ?? 'varchar').toLowerCase().replace(/\(.*$/, '')
  if (INTEGER_TYPES.has(base) && /^-?\d+$/.test(text)) {
    const value = BigInt(text)
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : text
  }
  if (FLOAT_TYPES.has(base)) {
    const value = Number(text)
    return Number.isFinite(value) ? value : text
  }
  if (base === 'boolean') return text === 'true'
  if (base.startsWith('timestamp')) {
    const m = ATHENA_TIMESTAMP.exec(text)
    const instant = m ? new Date(`${m[1]}T${m[2]}Z`) : undefined
    return instant && !Number.isNaN(instant.getTime()) ? instant.toISOString() : text
  }
  return text
}

async function call<T>(aws: AwsClient, endpoint: string, action: string, body: unknown): Promise<T> {
  const res = await aws.fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonAthena.${action}`,
    },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  let json: Record<string, unknown> = {}
  try {
    json = text ? JSON.parse(text) : {}
  } catch {
    // An answer that is not JSON (a proxy's error page): reported with its status below.
  }
  if (!res.ok) {
    const code = String(json.__type ?? `HTTP ${res.status}`).replace(/^.*#/, '')
    const message = String(json.Message ?? json.message ?? text.slice(0, 200))
    throw new AthenaError(`Athena ${action}: ${code}: ${message}`, code)
  }
  return json as T
}

export interface RunOnAthenaOptions extends AthenaTarget {
  /** Signs as the caller's IAM identity for service `athena` in the endpoint's region. */
  aws: AwsClient
  sql: string
  /** Idempotency: Athena requires one (32 to 128 characters) from callers without an AWS SDK. */
  clientRequestToken: string
  pollMs?: number
  maxPollMs?: number
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

/** Runs one SELECT and reads every page: column names in order and rows as objects. */
export async function runOnAthena({
  aws,
  endpoint,
  workgroup,
  database,
  catalog = 'AwsDataCatalog',
  sql,
  clientRequestToken,
  pollMs = 200,
  maxPollMs = 2_000,
  timeoutMs = 25_000,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}: RunOnAthenaOptions): Promise<{ columns: string[]; rows: Record<string, InsightValue>[] }> {
  const { QueryExecutionId: id } = await call<{ QueryExecutionId?: string }>(
    aws,
    endpoint,
    'StartQueryExecution',
    {
      QueryString: sql,
      WorkGroup: workgroup,
      QueryExecutionContext: { Database: database, Catalog: catalog },
      ClientRequestToken: clientRequestToken,
    },
  )
  if (!id)
    throw new AthenaError('Athena StartQueryExecution returned no QueryExecutionId', 'NoQueryExecutionId')
  const started = Date.now()
  for (let delay = pollMs; ; delay = Math.min(delay * 2, maxPollMs)) {
    const { QueryExecution: q } = await call<{
      QueryExecution?: {
        Status?: { State?: string; StateChangeReason?: string; AthenaError?: { ErrorMessage?: string } }
      }
    }>(aws, endpoint, 'GetQueryExecution', { QueryExecutionId: id })
    const state = q?.Status?.State
    if (state === 'SUCCEEDED') break
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = q?.Status?.AthenaError?.ErrorMessage ?? q?.Status?.StateChangeReason ?? ''
      throw new AthenaError(`Athena query ${id} ${state.toLowerCase()}${reason ? `: ${reason}` : ''}`, state)
    }
    if (Date.now() - started > timeoutMs) {
      await call(aws, endpoint, 'StopQueryExecution', { QueryExecutionId: id }).catch(() => undefined)
      throw new AthenaError(
        `Athena query ${id} did not finish within ${timeoutMs / 1000} s; it was stopped`,
        'Timeout',
      )
    }
    await sleep(delay)
  }
  let columns: ColumnInfo[] = []
  const rows: Record<string, InsightValue>[] = []
  let token: string | undefined
  let first = true
  do {
    const page = await call<ResultsPage>(aws, endpoint, 'GetQueryResults', {
      QueryExecutionId: id,
      MaxResults: 1000,
      ...(token ? { NextToken: token } : {}),
    })
    if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []
    // A SELECT's first page repeats the column labels as its first row.
    const data = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0)
    for (const row of data) {
      rows.push(
        Object.fromEntries(
          columns.map((c, i) => [c.Name, fromAthenaValue(row.Data?.[i]?.VarCharValue, c.Type)]),
        ),
      )
    }
    token = page.NextToken
    first = false
  } while (token)
  return { columns: columns.map((c) => c.Name), rows }
}
