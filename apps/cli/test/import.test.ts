/**
 * @module `lake import` against a real s3rver: the quirks and samples in, the counts reconciled, a second
 * import adding nothing, account data matched to the lake's tracks, a poll and the export of the same
 * listen one row in `listens` in both orders, nothing personal written anywhere, and bad input refused.
 */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createLakeStore, type LakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { lakeKeys, NO_EXPORT_FIELDS, playsTable, tracksTable } from '@spotify-lake/schemas'
import { strToU8, zipSync } from 'fflate'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createImportCommand } from '../src/commands/import.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { captureIo } from './support/capture.ts'
import { toParquet } from './support/query-lake.ts'

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'packages', 'spotify-export', 'test', 'fixtures')
const QUIRKS = join(FIXTURES, 'quirks')
const SAMPLES = join(FIXTURES, 'samples')

let s3: LocalS3
let store: LakeStore
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-import-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  s3 = await startS3rver({ directory: await mkdtemp(join(dir, 's3-')), bucket: 'spotify-lake' })
  store = createLakeStore({ ...s3, retries: 0 })
})
afterEach(async () => {
  await s3.close()
})

const env = () => ({
  LAKE_S3_ENDPOINT: s3.endpoint,
  LAKE_S3_BUCKET: s3.bucket,
  LAKE_S3_ACCESS_KEY_ID: s3.accessKeyId,
  LAKE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
})

async function lake(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const commands = [
    createImportCommand({ env: env() }),
    createQueryCommand({ env: env(), defaultCacheDir: await mkdtemp(join(dir, 'cache-')) }),
  ]
  const code = await runLake({ argv, io, commands })
  return { code, out: io.out(), err: io.err() }
}

async function importJson(path: string, account = 'acc') {
  const r = await lake(['import', path, '--account', account, '--json'])
  expect(r.code, r.err).toBe(0)
  return JSON.parse(r.out)
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const r = await lake(['query', sql, '--format', 'json'])
  expect(r.code, r.err).toBe(0)
  return JSON.parse(r.out)
}

describe('lake import', () => {
  it('imports the quirks: overlapping files once, the reject kept, counts reconciled; a second import adds nothing', async () => {
    const first = await importJson(QUIRKS)
    expect(first.counts).toEqual({
      files: 4,
      records: 10,
      written: 8,
      duplicates: 1,
      alreadyInLake: 0,
      rejects: { invalid_payload: 1 },
      byName: { matched: 0, ambiguous: 0, unmatched: 2 },
      bySource: { account_data: 2, extended_history: 6 },
    })
    expect([first.reconciled, first.status]).toEqual([true, 'partial'])
    const again = await importJson(QUIRKS)
    expect([
      again.counts.written,
      again.counts.duplicates,
      again.counts.alreadyInLake,
      again.counts.rejects,
    ]).toEqual([0, 1, 8, { invalid_payload: 1 }])
    expect(await query('SELECT count(*) AS n FROM plays')).toEqual([{ n: 8 }])
    const rows = await query(
      "SELECT source, item_type, track_id, skipped, offline_timestamp, reason_end, conn_country FROM plays WHERE played_at = TIMESTAMP '2014-06-01 10:00:05' ORDER BY ms_played",
    )
    expect(rows).toEqual([
      {
        source: 'extended_history',
        item_type: 'unknown',
        track_id: null,
        skipped: null,
        offline_timestamp: null,
        reason_end: 'some-future-reason',
        conn_country: null,
      },
      {
        source: 'extended_history',
        item_type: 'track',
        track_id: '2bbbbbbbbbbbbbbbbbbbbb',
        skipped: true,
        offline_timestamp: '2014-06-01T09:46:40.000Z',
        reason_end: 'fwdbtn',
        conn_country: 'SE',
      },
      {
        source: 'extended_history',
        item_type: 'track',
        track_id: '1aaaaaaaaaaaaaaaaaaaaa',
        skipped: null,
        offline_timestamp: '2014-06-01T10:00:00.000Z',
        reason_end: 'trackdone',
        conn_country: 'SE',
      },
    ])
    const manifest = JSON.parse(new TextDecoder().decode((await store.get(lakeKeys.manifest(first.runId)))!))
    expect(manifest).toMatchObject({
      trigger: 'import',
      status: 'partial',
      reconciliation: { itemsSeen: 10, rowsWritten: 8, rowsRejected: 1, ok: true },
      tables: { plays: { rows: 8, rejected: 1, duplicates: 1, complete: true } },
    })
  })

  it('reads a zip, leaves Userdata.json unread and writes no IP address, user agent or username anywhere', async () => {
    const zip = join(dir, 'my_spotify_data.zip')
    const file = async (p: string) => new Uint8Array(await readFile(join(QUIRKS, p)))
    await writeFile(
      zip,
      zipSync({
        'MyData/endsong_0.json': await file('MyData/endsong_0.json'),
        'MyData/Userdata.json': strToU8('{"username":"listener-example","email":"someone@example.com"}'),
      }),
    )
    const result = await importJson(zip)
    expect([result.counts.records, result.ignored]).toEqual([4, ['MyData/Userdata.json']])
    let text = ''
    for (const key of await store.listKeys('')) {
      const bytes = (await store.get(key))!
      text += key.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : Buffer.from(bytes).toString('latin1')
    }
    expect(text).toContain('Night Velvet')
    for (const personal of [
      '198.51.100.',
      'ip_addr',
      'user_agent',
      'Mozilla',
      'username',
      'listener-example',
      'someone@',
    ])
      expect(text).not.toContain(personal)
  })

  it("matches account-data music to the lake's one track of that artist and name, and keeps the rest by name", async () => {
    const run = { dt: '2026-11-20', runId: '20261120T060000000Z-aaaaaa' }
    const track = (track_id: string, name: string, artist: string) => ({
      ...Object.fromEntries(tracksTable.columns.map((c) => [c.name, null])),
      track_id,
      name,
      artist_ids: ['ar'],
      artist_names: [artist],
      _run_id: run.runId,
      _extracted_at: new Date('2026-11-20T06:00:00Z'),
    })
    await store.put(
      lakeKeys.table({ table: 'tracks', dt: run.dt, runId: run.runId }),
      toParquet({
        table: tracksTable,
        run,
        rows: [
          track('nv21', 'Song 21 of Night Velvet', 'Night Velvet'),
          track('u20a', 'Song 20 of 宇多田ヒカル', '宇多田ヒカル'),
          track('u20b', 'Song 20 of 宇多田ヒカル', '宇多田ヒカル'),
        ],
      }),
    )
    const result = await importJson(join(SAMPLES, 'Spotify Account Data', 'StreamingHistory_music_0.json'))
    expect(result.counts.byName).toEqual({ matched: 1, ambiguous: 3, unmatched: 21 })
    expect(await query('SELECT track_id, track_name FROM plays WHERE track_id IS NOT NULL')).toEqual([
      { track_id: 'nv21', track_name: 'Song 21 of Night Velvet' },
    ])
  })

  it.each(['poll first', 'import first'])(
    'leaves one listen, the export row, for a play a poll saw too (%s)',
    async (order) => {
      const run = { dt: '2026-11-20', runId: '20261120T060000000Z-aaaaaa' }
      const poll = async () =>
        store.put(
          lakeKeys.table({ table: 'plays', ...run }),
          toParquet({
            table: playsTable,
            run,
            rows: [
              {
                ...NO_EXPORT_FIELDS,
                account_id: 'acc',
                // The export says 2014-06-01T10:00:05Z for this play; the API's time is a little later.
                played_at: new Date('2014-06-01T10:00:06.512Z'),
                play_key: 'spotify:track:1aaaaaaaaaaaaaaaaaaaaa',
                track_id: '1aaaaaaaaaaaaaaaaaaaaa',
                context_type: null,
                context_uri: null,
                source: 'recently_played',
                item_type: 'track',
                _run_id: run.runId,
                _extracted_at: new Date('2026-11-20T06:00:00Z'),
              },
            ],
          }),
        )
      if (order === 'poll first') await poll()
      await importJson(join(QUIRKS, 'MyData', 'endsong_0.json'))
      if (order === 'import first') await poll()
      expect(await query('SELECT count(*) AS n FROM plays')).toEqual([{ n: 5 }])
      expect(
        await query("SELECT source, ms_played FROM listens WHERE track_id = '1aaaaaaaaaaaaaaaaaaaaa'"),
      ).toEqual([{ source: 'extended_history', ms_played: 201000 }])
      expect(await query('SELECT count(*) AS n FROM listens')).toEqual([{ n: 4 }])
    },
  )

  it('refuses bad input clearly and writes nothing', async () => {
    const broken = join(dir, 'Streaming_History_Audio_2021_0.json')
    await writeFile(broken, '[{"ts":"2021-01-01T00:00:00Z","ms_played":1},{"ts":')
    const cut = await lake(['import', broken, '--account', 'acc'])
    expect([cut.code, cut.err]).toEqual([
      1,
      expect.stringMatching(/Streaming_History_Audio_2021_0\.json: .*mid-parsing.*; nothing was written/),
    ])
    expect(await store.listKeys('')).toEqual([])

    const noAccount = await lake(['import', QUIRKS])
    expect([noAccount.code, noAccount.err]).toEqual([
      1,
      expect.stringMatching(/knows no account yet: .*--account/),
    ])

    const missing = await lake(['import', join(dir, 'nope.zip')])
    expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/no such file or folder/)])
    await writeFile(join(dir, 'Userdata.json'), '{}')
    const other = await lake(['import', join(dir, 'Userdata.json'), '--account', 'acc'])
    expect([other.code, other.err]).toEqual([2, expect.stringMatching(/neither a zip nor a play file/)])
    expect(await store.listKeys('')).toEqual([])
  })
})

describe('lake import into the local lake', () => {
  it('creates the local lake in the state folder when there is none and imports there', async () => {
    const localLakeDir = join(await mkdtemp(join(dir, 'state-')), 's3')
    const io = captureIo()
    const code = await runLake({
      argv: ['import', QUIRKS, '--account', 'acc'],
      io,
      commands: [createImportCommand({ env: {}, localLakeDir })],
    })
    expect(code, io.err()).toBe(0)
    expect(io.out()).toMatch(/records: 10 = written 8 \+ duplicates 1 \+ already in the lake 0 \+ rejected 1/)
    expect(io.err()).toMatch(/lake import: \d+ records read; reading /)
  })
})
