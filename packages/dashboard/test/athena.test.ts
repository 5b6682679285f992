/** @module runOnAthena against the local Athena stand-in: the happy path, paging, and every refusal Athena makes. */
import { AwsClient } from 'aws4fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AthenaError, fromAthenaValue, runOnAthena } from '../src/athena.ts'
import { type FakeAthena, startFakeAthena } from '../src/testing/fake-athena.ts'

const ALL = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
]
let athena: FakeAthena
const rows = Array.from({ length: 2500 }, (_, i) => [
  String(i),
  i % 2 ? null : `2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:00:00.000`,
])

beforeAll(async () => {
  athena = await startFakeAthena({
    region: 'eu-west-1',
    workgroup: 'wg',
    identities: {
      AKIDWORKER: { secretAccessKey: 'worker-secret', actions: ALL },
      AKIDNOBODY: { secretAccessKey: 'nobody-secret', actions: ['athena:GetQueryExecution'] },
    },
    execute: async (sql) => {
      if (sql.includes('boom')) throw new Error("line 1:8: Column 'boom' cannot be resolved")
      return {
        columns: [
          { name: 'n', type: 'bigint' },
          { name: 'at', type: 'timestamp(3)' },
        ],
        rows,
      }
    },
  })
})
afterAll(() => athena?.close())

const client = (secretAccessKey = 'worker-secret', accessKeyId = 'AKIDWORKER', service = 'athena') =>
  new AwsClient({ accessKeyId, secretAccessKey, region: 'eu-west-1', service, retries: 0 })
const run = (aws: AwsClient, sql = 'SELECT 1', extra: Partial<Parameters<typeof runOnAthena>[0]> = {}) =>
  runOnAthena({
    aws,
    endpoint: athena.endpoint,
    workgroup: 'wg',
    database: 'db',
    sql,
    clientRequestToken: crypto.randomUUID(),
    pollMs: 5,
    ...extra,
  })

describe('runOnAthena', () => {
  it('starts, polls and pages through every row, typed as DuckDB gives them', async () => {
    const result = await run(client())
    expect(result.columns).toEqual(['n', 'at'])
    expect(result.rows).toHaveLength(2500)
    expect(result.rows[0]).toEqual({ n: 0, at: '2026-11-01T10:00:00.000Z' })
    expect(result.rows[2499]).toEqual({ n: 2499, at: null })
  })

  it("says Athena's reason when the query fails", async () => {
    await expect(run(client(), 'SELECT boom')).rejects.toThrow(
      /failed: line 1:8: Column 'boom' cannot be resolved/,
    )
  })

  it('is refused with a wrong secret, another service scope, an unknown key, or a missing grant', async () => {
    await expect(run(client('not-the-secret'))).rejects.toMatchObject({ code: 'InvalidSignatureException' })
    await expect(run(client('worker-secret', 'AKIDWORKER', 's3'))).rejects.toMatchObject({
      code: 'InvalidSignatureException',
    })
    await expect(run(client('x', 'AKIDUNKNOWN'))).rejects.toMatchObject({
      code: 'UnrecognizedClientException',
    })
    await expect(run(client('nobody-secret', 'AKIDNOBODY'))).rejects.toMatchObject({
      code: 'AccessDeniedException',
    })
    await expect(run(client(), 'SELECT 1', { workgroup: 'other' })).rejects.toMatchObject({
      code: 'InvalidRequestException',
    })
    await expect(run(client(), 'SELECT 1', { clientRequestToken: 'short' })).rejects.toBeInstanceOf(
      AthenaError,
    )
  })

  it('refuses unsigned requests, unknown query ids and results before the query finished', async () => {
    const unsigned = await fetch(athena.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonAthena.GetQueryExecution',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ QueryExecutionId: 'x' }),
    })
    expect(unsigned.status).toBe(400)
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' })
    const aws = client()
    const call = (action: string, body: unknown) =>
      aws.fetch(athena.endpoint, {
        method: 'POST',
        headers: { 'x-amz-target': `AmazonAthena.${action}`, 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(body),
      })
    const unknown = await call('GetQueryResults', {
      QueryExecutionId: '00000000-0000-0000-0000-000000000000',
    })
    expect(await unknown.json()).toMatchObject({
      __type: 'InvalidRequestException',
      Message: expect.stringMatching(/was not found/),
    })
    const started = (await (
      await call('StartQueryExecution', {
        QueryString: 'SELECT 1',
        WorkGroup: 'wg',
        ClientRequestToken: crypto.randomUUID(),
      })
    ).json()) as { QueryExecutionId: string }
    const early = await call('GetQueryResults', { QueryExecutionId: started.QueryExecutionId })
    expect(await early.json()).toMatchObject({
      __type: 'InvalidRequestException',
      Message: expect.stringMatching(/not yet finished/),
    })
  })
})

describe('fromAthenaValue', () => {
  it('types cells as DuckDB does locally', () => {
    expect(fromAthenaValue('12', 'bigint')).toBe(12)
    expect(fromAthenaValue('9007199254740993', 'bigint')).toBe('9007199254740993')
    expect(fromAthenaValue('6.67', 'double')).toBe(6.67)
    expect(fromAthenaValue('2026-11-02', 'date')).toBe('2026-11-02')
    expect(fromAthenaValue(undefined, 'varchar')).toBeNull()
  })
})
