/**
 * @module E2e: a Worker that IAM denies a prefix fails its run visibly. The local S3's IAM gate holds each
 * Worker to its deployed policy; here the transformer's is narrowed to lose `tables/`, as a policy missing a
 * grant would. The run must close `failed` with S3's AccessDenied in its manifest (and in `lake runs`),
 * free the run lock, and leave raw in place for a replay: never succeed, never hang `finalizing`.
 */
import { workerGrants } from '@spotify-lake/lake-iam'
import { lakeKeys } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLake } from '../../src/cli.ts'
import { createRunsCommand } from '../../src/commands/runs.ts'
import { triggerRun } from '../../src/local/run-local.ts'
import { captureIo } from '../support/capture.ts'
import { describeRun, type E2eStack, runToEnd, startE2eStack } from './support/stack.ts'

const DT = '2026-07-01'

describe('a Worker denied a prefix by IAM', () => {
  let lake: E2eStack

  beforeAll(async () => {
    lake = await startE2eStack({
      mode: 'extended',
      seed: 5,
      playlists: 2,
      items: 20,
      s3Grants: {
        'spotify-lake-transformer': workerGrants['spotify-lake-transformer'].filter(
          (g) => g.prefix !== 'tables/',
        ),
      },
    })
  })
  afterAll(async () => {
    await lake?.close()
  })

  it('fails its run with the AccessDenied in the manifest and in lake runs, and frees the lock', async () => {
    const run = await runToEnd(lake, { dt: DT, timeoutMs: 120_000 })
    const m = run.manifest
    expect(m.status, describeRun(m)).toBe('failed')
    expect(m.finishedAt).toBeDefined()
    // The failure table's verdict: a 403 from S3 is permanent and run-wide, with what to do.
    expect(m.failure?.reason).toBe('s3_access_denied')
    expect(m.failure?.action).toMatch(/IAM policy/)
    expect(m.failure?.message).toMatch(/403 AccessDenied/)
    expect(m.failure?.message).toMatch(
      /spotify-lake-local-transformer is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::spotify-lake\/tables\//,
    )
    // The gate saw it as S3 would log it, and nothing else was refused: the policy is the only cause.
    expect(lake.stack.s3.denials.length).toBeGreaterThan(0)
    for (const denial of lake.stack.s3.denials) {
      expect(denial).toMatchObject({ principal: 'spotify-lake-transformer', action: 's3:PutObject' })
      expect(denial.resource).toMatch(/^arn:aws:s3:::spotify-lake\/tables\//)
    }
    // Nothing half-written under tables/, and raw is kept for a replay once the grant is fixed.
    expect(await lake.store.listKeys('tables/')).toEqual([])
    expect((await lake.store.listKeys('raw/')).length).toBeGreaterThan(0)
    expect(await lake.store.getJson(lakeKeys.manifest(run.runId))).toMatchObject({ status: 'failed' })

    // `lake runs` (the operator's view of the lake) shows it failed, and `runs show` says why.
    const env = {
      LAKE_S3_ENDPOINT: lake.stack.s3.endpoint,
      LAKE_S3_BUCKET: lake.stack.s3.bucket,
      LAKE_S3_ACCESS_KEY_ID: lake.stack.s3.accessKeyId,
      LAKE_S3_SECRET_ACCESS_KEY: lake.stack.s3.secretAccessKey,
    }
    const list = captureIo()
    expect(await runLake({ argv: ['runs'], io: list, commands: [createRunsCommand({ env })] })).toBe(0)
    expect(list.out()).toMatch(new RegExp(`${run.runId}\\s+${DT}\\s+failed`))
    const show = captureIo()
    await runLake({ argv: ['runs', 'show', run.runId], io: show, commands: [createRunsCommand({ env })] })
    expect(show.out()).toMatch(/FAILED/)
    expect(show.out()).toMatch(/why: s3_access_denied: transformer: .*403 AccessDenied/)
    expect(show.out()).toMatch(/what to do: .*IAM policy/)

    // The run lock went with the run: the next run starts without --force.
    const next = await triggerRun({ workerUrl: lake.stack.workerUrl, apiToken: lake.stack.apiToken, dt: DT })
    expect(next).not.toBe(run.runId)
  })
})
