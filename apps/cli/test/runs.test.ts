/** @module `lake runs` and `lake runs show` over manifests in a real s3rver, and their errors. */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { type RunManifest, RunManifestSchema } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createRunsCommand } from '../src/commands/runs.ts'
import { captureIo } from './support/capture.ts'

let s3: LocalS3
let dir: string

const OLD = '20261120T060000000Z-aaaaaa'
const NEW = '20261121T060000000Z-bbbbbb'
const OPEN = '20261122T060000000Z-cccccc'
const REAUTH = '20261123T060000000Z-dddddd'
/** An hourly plays poll: the oldest run of the lake. */
const POLL = '20261119T120000000Z-eeeeee'

const accountState = (accountId: string, extra: Record<string, unknown> = {}) => ({
  accountId,
  userId: `user-${accountId}`,
  status: 'connected',
  consentedAt: '2026-06-01T00:00:00.000Z',
  expiresAt: '2026-12-01T00:00:00.000Z',
  daysLeft: 8,
  warning:
    'the Spotify consent of this account expires in 8 day(s), on 2026-12-01: open https://lake.example/connect',
  ...extra,
})

function manifest(runId: string, overrides: Partial<RunManifest>): RunManifest {
  return RunManifestSchema.parse({
    v: 1,
    runId,
    dt: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}`,
    status: 'succeeded',
    trigger: 'cron',
    createdAt: '2026-11-21T06:00:00.000Z',
    updatedAt: '2026-11-21T06:00:30.000Z',
    ...overrides,
  })
}

const env = () => ({
  LAKE_S3_ENDPOINT: s3.endpoint,
  LAKE_S3_BUCKET: s3.bucket,
  LAKE_S3_ACCESS_KEY_ID: s3.accessKeyId,
  LAKE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
})

async function lake(argv: string[], options: Parameters<typeof createRunsCommand>[0] = { env: env() }) {
  const io = captureIo()
  const code = await runLake({
    argv: ['runs', ...argv],
    io,
    commands: [createRunsCommand({ localLakeDir: '/nonexistent/lake', ...options })],
  })
  return { code, out: io.out(), err: io.err() }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-runs-'))
  s3 = await startS3rver({ directory: join(dir, 's3') })
  const store = createLakeStore(s3)
  await store.put(
    `runs/${OLD}.json`,
    JSON.stringify(
      manifest(OLD, {
        status: 'partial',
        finishedAt: '2026-11-21T06:01:00.000Z',
        tables: { playlists: { rows: 3, rejected: 1, duplicates: 0, bytes: 900 } },
        rejects: { invalid_payload: 1 },
        api: { calls: 12, byEndpoint: {}, retries: 0, rateLimited: 0, waitMs: 0, bytes: 0 },
        units: {
          'playlist:abc:0': { status: 'failed', attempts: 1, rawKeys: [], itemsSeen: 0, error: '404 gone' },
        },
      }),
    ),
  )
  await store.put(
    `runs/${NEW}.json`,
    JSON.stringify(
      manifest(NEW, {
        finishedAt: '2026-11-21T06:00:20.000Z',
        tables: {
          playlists: { rows: 2, rejected: 0, duplicates: 0, bytes: 800 },
          tracks: { rows: 40, rejected: 0, duplicates: 1, bytes: 5000 },
        },
        api: { calls: 7, byEndpoint: {}, retries: 1, rateLimited: 0, waitMs: 0, bytes: 0 },
        catalog: {
          callBudget: 5,
          calls: 5,
          refreshDays: 30,
          kinds: {
            artists: { planned: 2, fresh: 10, waiting: 0 },
            albums: { planned: 3, fresh: 20, waiting: 4 },
          },
        },
      }),
    ),
  )
  await store.put(
    `runs/${OPEN}.json`,
    JSON.stringify(
      manifest(OPEN, {
        status: 'deferred',
        blockedUntil: '2026-11-22T07:00:00.000Z',
        blockedReason: 'quota_exceeded',
        accounts: { a1: accountState('a1') } as never,
        warnings: ['account a1: the Spotify consent of this account expires in 8 day(s), on 2026-12-01'],
      }),
    ),
  )
  await store.put(
    `runs/${REAUTH}.json`,
    JSON.stringify(
      manifest(REAUTH, {
        status: 'failed',
        finishedAt: '2026-11-23T06:00:01.000Z',
        failure: {
          reason: 'reauth_required',
          message: 'invalid_grant (Refresh token expired)',
          action: 'reconnect the account: open /connect',
          at: '2026-11-23T06:00:01.000Z',
        },
        accounts: {
          a1: accountState('a1', {
            status: 'reauth_required',
            daysLeft: -1,
            failure: { reason: 'reauth_required', message: 'invalid_grant', at: '2026-11-23T06:00:01.000Z' },
          }),
          b2: accountState('b2', { warning: undefined, daysLeft: 150 }),
        } as never,
      }),
    ),
  )
  await store.put(
    `runs/${POLL}.json`,
    JSON.stringify(
      manifest(POLL, {
        finishedAt: '2026-11-21T06:00:05.000Z',
        tables: {
          playlists: { rows: 0, rejected: 0, duplicates: 0, bytes: 0, complete: false },
          plays: { rows: 12, rejected: 0, duplicates: 0, bytes: 700, complete: true },
          tracks: { rows: 0, rejected: 0, duplicates: 0, bytes: 0, complete: false },
        },
        units: {
          'recently-played:a1': { status: 'extracted', attempts: 1, rawKeys: [], itemsSeen: 12 },
        },
      }),
    ),
  )
  await store.put('runs/notes.txt', 'not a manifest')
  await store.put('runs/20261119T000000000Z-broken.json', '{"v":1}')
})
afterAll(async () => {
  await s3?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('lake runs', () => {
  it('lists the newest runs first with their figures, and reports unreadable manifests', async () => {
    const { code, out, err } = await lake([])
    expect(code).toBe(0)
    const lines = out.trim().split('\n')
    expect(lines[0]).toMatch(
      /^run_id\s+dt\s+status\s+trigger\s+kind\s+rows\s+rejected\s+api_calls\s+duration\s+accounts\s+catalog$/,
    )
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      [REAUTH, '2026-11-23', 'failed'],
      [OPEN, '2026-11-22', 'deferred'],
      [NEW, '2026-11-21', 'succeeded'],
      [OLD, '2026-11-20', 'partial'],
    ])
    // NEW records no units (kind unknown); OLD is a daily run, POLL a plays poll. The last column is the
    // catalog ledger's counts: fetched, skipped as fresh, waiting for the next run's budget.
    expect(lines[3]!.split(/\s+/).slice(3)).toEqual([
      'cron',
      '-',
      '42',
      '0',
      '7',
      '20.0',
      's',
      '-',
      '5',
      'fetched,',
      '30',
      'fresh,',
      '4',
      'waiting',
    ])
    expect(lines[4]!.split(/\s+/).slice(3)).toEqual(['cron', 'daily', '3', '1', '12', '60.0', 's', '-', '-'])
    expect(lines[5]!.split(/\s+/).slice(0, 5)).toEqual([
      POLL,
      '2026-11-19',
      'succeeded',
      'cron',
      'plays-poll',
    ])
    // Each account's state, and what needs doing, under the list.
    expect(lines[1]).toMatch(/1 reauth_required, 1 connected\s+-$/)
    expect(lines[2]).toMatch(/1 connected \(8 days left\)\s+-$/)
    expect(out).toContain(`${REAUTH}: reauth_required: reconnect the account: open /connect`)
    expect(out).toContain(
      `${OPEN}: warning: account a1: the Spotify consent of this account expires in 8 day(s)`,
    )
    expect(err).toMatch(/skipping runs\/20261119T000000000Z-broken\.json: not a run manifest/)
  })

  it('--limit and --json give the newest summaries as JSON', async () => {
    const { code, out } = await lake(['--limit', '2', '--json'])
    expect(code).toBe(0)
    const list = JSON.parse(out)
    expect(list.map((s: { run_id: string }) => s.run_id)).toEqual([REAUTH, OPEN])
    expect(list[0]).toMatchObject({
      status: 'failed',
      failure: { reason: 'reauth_required' },
      accounts: [
        { account_id: 'a1', status: 'reauth_required', failure: 'reauth_required', days_left: -1 },
        { account_id: 'b2', status: 'connected', days_left: 150 },
      ],
    })
    const all = JSON.parse((await lake(['--json'])).out)
    expect(all[2]).toMatchObject({
      status: 'succeeded',
      rows: { playlists: 2, tracks: 40 },
      api_calls: 7,
      catalog: { callBudget: 5, kinds: { albums: { waiting: 4 } } },
      warnings: [],
    })
    expect(all[2].duration_ms).toBe(20_000)
  })

  it('show prints one run: tables, rejects, units not done, the block', async () => {
    const partial = await lake(['show', OLD])
    expect(partial.code).toBe(0)
    expect(partial.out).toMatch(
      new RegExp(`Run ${OLD} \\(dt=2026-11-20, unknown mode\\): PARTIAL in 60\\.0 s`),
    )
    expect(partial.out).toMatch(/playlists\s+3\s+1\s+0\s+900/)
    expect(partial.out).toMatch(/rejects: invalid_payload 1/)
    expect(partial.out).toMatch(/unit playlist:abc:0: failed \(404 gone\)/)
    const open = await lake(['show', OPEN])
    expect(open.out).toMatch(
      /blocked by the developer account's quota \(QUOTA_EXCEEDED\) until 2026-11-22T07:00:00\.000Z/,
    )
    expect(open.out).toContain('warning: account a1: the Spotify consent of this account expires in 8 day(s)')
    expect(open.out).toContain('a1 (user user-a1): connected, consent until 2026-12-01 (8 days left)')
    const reauth = await lake(['show', REAUTH])
    expect(reauth.out).toContain('why: reauth_required: invalid_grant (Refresh token expired)')
    expect(reauth.out).toContain(
      'a1 (user user-a1): reauth_required: reauth_required, consent until 2026-12-01',
    )
    // A plays poll: the tables it never writes say so, instead of "no".
    const poll = await lake(['show', POLL])
    expect(poll.out).toMatch(/trigger: cron; kind: plays-poll; created/)
    expect(poll.out).toMatch(/plays\s+12\s+0\s+0\s+700 {2}yes/)
    expect(poll.out).toMatch(/playlists\s+0\s+0\s+0\s+0 {2}not extracted by this run/)
    expect(poll.out).toMatch(/tracks\s+0\s+0\s+0\s+0 {2}no/)
    expect(poll.out).not.toMatch(/playlists.*\bno$/m)
    expect(JSON.parse((await lake(['--json'])).out).at(-1)).toMatchObject({
      run_id: POLL,
      kind: 'plays-poll',
    })
    const ledger = await lake(['show', NEW])
    expect(ledger.out).toContain(
      'catalog: 5 of 5 calls (refresh after 30 days); albums 3 planned, 20 fresh, 4 waiting; artists 2 planned, 10 fresh, 0 waiting',
    )
    expect(partial.out).not.toContain('catalog:')
    const json = await lake(['show', NEW, '--json'])
    expect(RunManifestSchema.parse(JSON.parse(json.out)).tables.tracks?.duplicates).toBe(1)
  })

  it('says what is wrong: unknown run, bad id, bad subcommand, no lake configured', async () => {
    const missing = await lake(['show', '20261101T000000000Z-zzzzzz'])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/no run 20261101T000000000Z-zzzzzz in this lake/)
    const bad = await lake(['show', '../etc/passwd'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/"\.\.\/etc\/passwd" is not a run id/)
    expect((await lake(['frob'])).err).toMatch(/unknown runs subcommand "frob"/)
    expect((await lake(['show'])).err).toMatch(/runs show needs a run id/)
    const none = await lake([], { env: {} })
    expect(none.code).toBe(2)
    expect(none.err).toMatch(
      /set LAKE_S3_ENDPOINT, LAKE_S3_BUCKET, LAKE_S3_ACCESS_KEY_ID, LAKE_S3_SECRET_ACCESS_KEY/,
    )
  })

  it('reads the local lake that `lake up` left when no S3 is configured', async () => {
    const local = join(dir, 'local-lake')
    await cp(join(dir, 's3'), local, { recursive: true })
    const { code, out } = await lake(['--json'], { env: {}, localLakeDir: local })
    expect(code).toBe(0)
    expect(JSON.parse(out).map((s: { run_id: string }) => s.run_id)).toEqual([REAUTH, OPEN, NEW, OLD, POLL])
  })
})
