/**
 * @module E2e chaos: the fake Spotify rate-limits (short and long Retry-After), fails with 5xx, answers
 * slowly, malformed and truncated, and the S3 server is stopped mid-run and restarted. The run must
 * defer, then finish with every record of the catalog exactly once.
 */
import { readFileSync } from 'node:fs'
import { LAKE_TABLE_NAMES, type RunManifest } from '@spotify-lake/schemas'
import type { FakeFaults } from '@spotify-lake/spotify-client/fake'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchManifest, triggerRun, waitForRun } from '../../src/local/run-local.ts'
import type { LakeDb } from '../../src/query/index.ts'
import {
  expectedRows,
  expectIds,
  expectReconciled,
  expectRunObjects,
  expectTables,
} from './support/assert-run.ts'
import { expectedLake } from './support/expected.ts'
import { openLake } from './support/lake.ts'
import { readRejects } from './support/rejects.ts'
import { describeRun, type E2eStack, logTail, startE2eStack } from './support/stack.ts'

const MODE = 'development'
const DT = '2026-05-01'
/** A consumer sleeps through a Retry-After up to this; longer ones defer the message. */
const MAX_WAIT_SECONDS = 2

/** Background noise for the whole run; the rate limit answers Retry-After: 1 (short: slept through). */
const NOISE: FakeFaults = {
  latency: { ms: 15 },
  serverErrors: { rate: 0.08 },
  malformedJson: { rate: 0.04 },
  truncatedBody: { rate: 0.04 },
  rateLimit: { requests: 12, windowSeconds: 1 },
}
/** Every API call answers 429 with Retry-After: 4 (long: the run defers until then). */
const LOCKED_OUT: FakeFaults = {
  ...NOISE,
  rateLimit: { requests: 0, windowSeconds: 1, retryAfterSeconds: 4 },
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('chaos through the local stack', () => {
  let lake: E2eStack
  let db: LakeDb | undefined

  beforeAll(async () => {
    lake = await startE2eStack({
      mode: MODE,
      seed: 31,
      playlists: 4,
      items: 150,
      faults: NOISE,
      // Small messages, so the outages below hit many of them.
      workerVars: { CALL_BUDGET: 2, SPOTIFY_MAX_WAIT_SECONDS: MAX_WAIT_SECONDS },
    })
  })
  afterAll(async () => {
    db?.close()
    await lake?.close()
  })

  it('defers through a long 429, survives an S3 outage and noise, and loses or duplicates nothing', async () => {
    const { stack, fake } = lake
    const manifest = () => fetchManifest(stack.workerUrl, stack.apiToken, runId)
    const apiCalls = () => fake.requests.filter((r) => r.path.startsWith('/v1/')).length
    /** Polls until `ok` holds (or fails with the run's state). */
    const until = async (what: string, ok: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs
      while (!(await ok())) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}: ${describeRun(await manifest())}`)
        await sleep(200)
      }
    }

    const runId = await triggerRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, dt: DT })
    const start = apiCalls()

    // 1. Spotify locks the app out: the run records a deferral until the Retry-After, instead of spinning.
    await until('extraction to start', () => apiCalls() >= start + 10)
    fake.setFaults(LOCKED_OUT)
    let deferred: RunManifest | undefined
    await until('the run to defer', async () => {
      const m = await manifest()
      if (m.status === 'deferred' && m.blockedUntil) deferred = m
      return deferred !== undefined
    })
    const lockedOutCalls = apiCalls()
    await sleep(1_500)
    // While blocked, messages wait without calling Spotify (no hot loop): at most the calls already in flight.
    expect(apiCalls() - lockedOutCalls).toBeLessThanOrEqual(16)
    fake.setFaults(NOISE)

    // 2. The S3 server goes away while the deferred messages come back (they call Spotify, then cannot
    // write raw), and returns on the same port and folder.
    const beforeOutage = await manifest()
    expect(['running', 'deferred']).toContain(beforeOutage.status)
    await stack.stopS3()
    await sleep(10_000)
    await stack.startS3()

    const final = await waitForRun({
      workerUrl: stack.workerUrl,
      apiToken: stack.apiToken,
      runId,
      timeoutMs: 240_000,
      intervalMs: 500,
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${describeRun(await manifest())}\n${logTail(stack.logFile)}`)
    })

    // Every kind of chaos did happen, and the manifest says so.
    const kinds = new Set(fake.requests.slice(start).flatMap((r) => r.faults))
    expect([...kinds].sort()).toEqual([
      'latency',
      'malformed-json',
      'rate-limit',
      'server-error',
      'truncated-body',
    ])
    expect(deferred?.blockedUntil).toBeDefined()
    expect(Object.values(deferred!.units).some((u) => u.status === 'deferred' && u.retryAt)).toBe(true)
    expect(final.api.rateLimited).toBeGreaterThan(0)
    expect(final.api.retries).toBeGreaterThan(0)
    // The outage failed S3 calls (then retried), and deferred units were delivered more than once.
    expect(readFileSync(stack.logFile, 'utf8')).toMatch(/S3 (GET|PUT|HEAD|POST|DELETE) [^\n]*failed/)
    expect(Object.values(final.units).some((u) => u.attempts > 1)).toBe(true)

    // Nothing lost: the run succeeded with every row the catalog implies; reconciliation closes.
    const expected = expectedLake(fake.catalog, MODE)
    const rows = expectedRows(expected)
    expectReconciled(final, rows)
    expect(final.blockedUntil).toBeUndefined()
    await expectRunObjects(lake.store, final)

    // Nothing duplicated: each table has exactly the catalog's rows and ids, no primary key twice.
    db = await openLake(lake)
    await expectTables(db, DT, rows)
    await expectIds(db, DT, expected)

    // Bodies the client retried (malformed, truncated, 5xx) never reach raw: no record is rejected, and the
    // rejected zone agrees with the manifest (entries Spotify sends off the schema: off-schema.test.ts).
    expect(await readRejects(lake.store, { dt: DT, runId })).toEqual([])
    expect(final.rejects).toEqual({})
    expect(LAKE_TABLE_NAMES.map((t) => final.tables[t]?.rejected ?? 0)).toEqual(LAKE_TABLE_NAMES.map(() => 0))
  })
})
