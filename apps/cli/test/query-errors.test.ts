/** @module `lake query` errors: unreachable S3 names the endpoint, SQL errors exit 1 with DuckDB's message, bad options exit 2. */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { listInsights } from '../src/query/insights.ts'
import { captureIo } from './support/capture.ts'

/** Keeps these tests off a developer's own .lake/s3 (the fallback when no LAKE_S3_* is set). */
const NO_LOCAL_LAKE = '/nonexistent/lake'

let s3: LocalS3
let cache: string

const SECRET = 'do-not-print-this-secret'

const envOf = (
  endpoint: string,
  bucket = s3.bucket,
  keyId = s3.accessKeyId,
  secret = s3.secretAccessKey,
) => ({
  LAKE_S3_ENDPOINT: endpoint,
  LAKE_S3_BUCKET: bucket,
  LAKE_S3_ACCESS_KEY_ID: keyId,
  LAKE_S3_SECRET_ACCESS_KEY: secret,
})

async function lake(argv: string[], env: Record<string, string> = envOf(s3.endpoint)) {
  const io = captureIo()
  const code = await runLake({
    argv: ['query', ...argv],
    io,
    commands: [createQueryCommand({ env, localLakeDir: NO_LOCAL_LAKE })],
  })
  expect(io.out() + io.err()).not.toContain(SECRET)
  expect(io.out() + io.err()).not.toContain(s3.secretAccessKey)
  return { code, out: io.out(), err: io.err() }
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

beforeAll(async () => {
  s3 = await startS3rver()
  cache = await mkdtemp(join(tmpdir(), 'lake-query-errors-'))
})

afterAll(async () => {
  await s3.close()
  await rm(cache, { recursive: true, force: true })
})

describe('lake query failures (exit 1)', () => {
  it('names the S3 endpoint it cannot reach', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const { code, out, err } = await lake(['SELECT 1', '--cache', cache], envOf(endpoint))
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toContain(`cannot reach the lake's S3 endpoint ${endpoint} (LAKE_S3_ENDPOINT)`)
    expect(err).toContain('--offline')
  })

  it('names the endpoint and bucket when the bucket does not exist', async () => {
    const { code, err } = await lake(['SELECT 1', '--cache', cache], envOf(s3.endpoint, 'no-such-bucket'))
    expect(code).toBe(1)
    expect(err).toMatch(new RegExp(`S3 at ${s3.endpoint}, bucket no-such-bucket: .*404 NoSuchBucket`))
  })

  it('passes on what S3 said when it refuses the credentials', async () => {
    const { code, err } = await lake(['SELECT 1', '--cache', cache], envOf(s3.endpoint, s3.bucket, 'WRONG'))
    expect(code).toBe(1)
    expect(err).toMatch(new RegExp(`S3 at ${s3.endpoint}, bucket ${s3.bucket}: .*403 InvalidAccessKeyId`))
    // A known key with the wrong secret: S3 checks the signature (the local S3's IAM gate does too).
    const wrong = await lake(
      ['SELECT 1', '--cache', cache],
      envOf(s3.endpoint, s3.bucket, s3.accessKeyId, SECRET),
    )
    expect(wrong.code).toBe(1)
    expect(wrong.err).toMatch(
      new RegExp(`S3 at ${s3.endpoint}, bucket ${s3.bucket}: .*403 SignatureDoesNotMatch`),
    )
  })

  it("reports DuckDB's own message for bad SQL", async () => {
    const missing = await lake(['SELECT * FROM songs', '--cache', cache])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/^lake query: Catalog Error: Table with name songs does not exist/m)
    const syntax = await lake(['SELEC 1', '--cache', cache])
    expect(syntax.code).toBe(1)
    expect(syntax.err).toMatch(/Parser Error: syntax error at or near "SELEC"/)
  })
})

describe('lake query usage errors (exit 2)', () => {
  it.each([
    [['SELECT 1', '--format', 'yaml'], /unknown format "yaml"; valid: table, csv, json/],
    [['SELECT 1', '--engine', 'spark'], /unknown engine "spark"; valid: duckdb, athena/],
    [['--insight', 'nope'], /unknown insight "nope"; insights: explicit-share, genre-mix, /],
    [['--insight', '../../etc/passwd'], /unknown insight/],
    [['SELECT 1', '--insight', 'top-artists'], /either SQL or --insight NAME, not both/],
    [[], /SQL is required \(or --insight NAME, or --list-insights\)/],
    [['  '], /SQL is required/],
    [['SELECT', '1'], /give the SQL as one argument \(quote it\)/],
    [['--list-insights', 'SELECT 1'], /--list-insights takes no SQL/],
    [['SELECT 1', '--verbose'], /Unknown option '--verbose'/],
    [['SELECT 1', '--engine', 'athena', '--offline'], /--cache and --offline are for the duckdb engine/],
    [['SELECT 1', '--workgroup', 'w'], /--workgroup and --database are for the athena engine/],
    [['SELECT 1', '--engine', 'athena'], /--workgroup or LAKE_ATHENA_WORKGROUP is required/],
    [['SELECT 1', '--engine', 'athena', '--workgroup', 'w'], /--database or LAKE_GLUE_DATABASE is required/],
  ])('%j', async (args, message) => {
    const { code, out, err } = await lake(args)
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(message)
    expect(err).toContain('Usage: lake query "SQL"')
  })

  it('lists the missing S3 variables by name, never values', async () => {
    const { code, err } = await lake(['SELECT 1', '--cache', cache], {
      LAKE_S3_ENDPOINT: s3.endpoint,
      LAKE_S3_SECRET_ACCESS_KEY: SECRET,
    })
    expect(code).toBe(2)
    expect(err).toMatch(
      /set LAKE_S3_BUCKET, LAKE_S3_ACCESS_KEY_ID \(or run `lake up` for a local lake, or pass --offline/,
    )
  })
})

describe('lake query --list-insights', () => {
  it('lists every insight file with its description', async () => {
    const insights = await listInsights()
    expect(insights.length).toBeGreaterThan(0)
    const { code, out } = await lake(['--list-insights', '--format', 'json'], {})
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual(insights.map(({ name, description }) => ({ name, description })))
    const table = await lake(['--list-insights'], {})
    for (const { name } of insights) expect(table.out).toMatch(new RegExp(`^${name} +\\| `, 'm'))
    expect(table.out).toContain(`(${insights.length} rows)`)
  })
})
