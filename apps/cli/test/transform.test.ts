/** @module `lake transform` and `lake replay` end to end: real files, real Parquet, a real S3 server for replay. */
/// <reference path="../../../packages/lake-store/src/s3rver.d.ts" />
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore, gzip } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { lakeKeys, type RunManifest } from '@spotify-lake/schemas'
import { PARQUET_DECOMPRESSORS } from '@spotify-lake/transformer'
import { parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createReplayCommand } from '../src/commands/replay.ts'
import { runLake } from '../src/index.ts'
import { captureIo } from './support/capture.ts'

const RUN_ID = '20261121T010203456Z-abc123'
const DT = '2026-11-21'

/** A page of playlist items in Spotify's shape: one catalog track, one removed track (null). */
const page = {
  href: 'https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/tracks?offset=0&limit=100',
  limit: 100,
  offset: 0,
  total: 2,
  items: [
    {
      added_at: '2026-01-02T03:04:05Z',
      added_by: { id: 'someone' },
      is_local: false,
      track: {
        id: '4iV5W9uYEdYUVa79Axb7Rh',
        name: 'A Song',
        type: 'track',
        uri: 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh',
        href: 'https://api.spotify.com/v1/tracks/4iV5W9uYEdYUVa79Axb7Rh',
        external_urls: {},
        duration_ms: 200000,
        explicit: false,
        disc_number: 1,
        track_number: 3,
        external_ids: { isrc: 'USRC17607839' },
        artists: [
          {
            id: '0OdUWJ0sBjDrqHygGUXeCF',
            name: 'Band',
            type: 'artist',
            uri: 'spotify:artist:0OdUWJ0sBjDrqHygGUXeCF',
            href: 'h',
            external_urls: {},
          },
        ],
        album: {
          id: '6akEvsycLGftJxYudPjmqK',
          name: 'Record',
          type: 'album',
          uri: 'spotify:album:6akEvsycLGftJxYudPjmqK',
          href: 'h',
          album_type: 'album',
          external_urls: {},
          images: [],
          total_tracks: 10,
          release_date: '1999',
          release_date_precision: 'year',
          artists: [],
        },
      },
    },
    { added_at: '2026-01-02T03:04:06Z', added_by: { id: '' }, is_local: false, track: null },
    { added_at: 'yesterday', added_by: { id: 'x' }, is_local: false, track: null },
  ],
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-transform-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function lake(...argv: string[]) {
  const io = captureIo()
  const code = await runLake({ argv, io })
  return { code, out: io.out(), err: io.err() }
}

describe('lake transform', () => {
  it('writes one Parquet file per table with rows, a rejected file, and a JSON summary', async () => {
    const input = join(dir, 'page.json.gz')
    await writeFile(input, await gzip(JSON.stringify(page)))
    const out = join(dir, 'out')
    const { code, out: stdout } = await lake(
      'transform',
      input,
      '--out',
      out,
      '--json',
      '--extracted-at',
      '2026-01-03T00:00:00Z',
    )
    expect(code).toBe(0)
    const summary = JSON.parse(stdout)
    expect(summary).toMatchObject({
      kind: 'response',
      responses: ['playlist-items'],
      tables: {
        playlist_items: { rows: 2, rejected: 1, file: join(out, 'playlist_items.parquet') },
        tracks: { rows: 1, rejected: 0 },
        albums: { rows: 1, rejected: 0 },
        artists: { rows: 1, rejected: 0 },
        playlists: { rows: 0, rejected: 0, file: null },
      },
      rejects: { invalid_payload: 1 },
      rejectedFile: join(out, 'rejected.jsonl'),
    })
    const bytes = await readFile(join(out, 'playlist_items.parquet'))
    const rows = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      compressors: PARQUET_DECOMPRESSORS,
    })
    expect(rows.map((r) => [r.playlist_id, r.position, r.item_type, r.added_by_id])).toEqual([
      ['3cEYpjA9oz9GiPac4AsH4n', 0, 'track', 'someone'],
      ['3cEYpjA9oz9GiPac4AsH4n', 1, 'unavailable', null],
    ])
    expect(rows[0]!._extracted_at).toEqual(new Date('2026-01-03T00:00:00Z'))
    const rejected = (await readFile(join(out, 'rejected.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rejected).toMatchObject([
      {
        table: 'playlist_items',
        reason: 'invalid_payload',
        path: '$.items[2]',
        detail: expect.stringMatching(/^added_at: .*\(got "yesterday"\)$/),
      },
    ])
  })

  it('takes a raw object (gzip envelope) as the extractor writes it, lineage from the envelope', async () => {
    const input = join(dir, 'playlist-3cEYpjA9oz9GiPac4AsH4n-p0000.json.gz')
    const envelope = {
      v: 1,
      runId: RUN_ID,
      dt: DT,
      source: 'playlists',
      unit: { type: 'playlist', playlistId: '3cEYpjA9oz9GiPac4AsH4n', offset: 0, part: 0 },
      apiMode: 'development',
      extractedAt: '2026-11-21T01:02:04.000Z',
      responses: [
        {
          endpoint: '/playlists/{id}/items',
          url: 'https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items',
          params: {},
          status: 200,
          fetchedAt: '2026-11-21T01:02:05.000Z',
          body: JSON.stringify(page),
        },
      ],
    }
    await writeFile(input, await gzip(JSON.stringify(envelope)))
    const out = join(dir, 'raw-out')
    const { code, out: stdout } = await lake('transform', input, '--out', out, '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'envelope', responses: ['playlist-items'] })
    const bytes = await readFile(join(out, 'tracks.parquet'))
    const [track] = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      compressors: PARQUET_DECOMPRESSORS,
    })
    expect(track).toMatchObject({ track_id: '4iV5W9uYEdYUVa79Axb7Rh', _run_id: RUN_ID })
    expect(track!._extracted_at).toEqual(new Date('2026-11-21T01:02:05.000Z'))
  })

  it('prints a readable table without --json', async () => {
    const input = join(dir, 'page.json')
    await writeFile(input, JSON.stringify(page))
    const { code, out } = await lake('transform', input, '--out', join(dir, 'text'))
    expect(code).toBe(0)
    expect(out).toMatch(/playlist_items\s+2\s+1/)
    expect(out).toContain('rejects: invalid_payload=1')
  })

  it('fails clearly on a file that is not a Spotify response, and on usage errors', async () => {
    const input = join(dir, 'other.json')
    await writeFile(input, '{"hello": "world"}')
    const bad = await lake('transform', input, '--out', join(dir, 'x'))
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('neither a raw envelope nor a Spotify response')
    expect((await lake('transform', input)).code).toBe(2)
    expect((await lake('transform', join(dir, 'missing.json'), '--out', dir)).err).toContain('cannot read')
  })
})

describe('lake replay', () => {
  let s3: LocalS3
  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'cli-replay' })
  })
  afterAll(() => s3.close())

  it('rebuilds a run from raw into tables and the manifest, idempotently', async () => {
    const store = createLakeStore({ ...s3 })
    const envelope = {
      v: 1,
      runId: RUN_ID,
      dt: DT,
      source: 'playlists',
      unit: { type: 'playlist', playlistId: '3cEYpjA9oz9GiPac4AsH4n', offset: 0, part: 0 },
      apiMode: 'development',
      extractedAt: '2026-11-21T01:02:04.000Z',
      responses: [
        {
          endpoint: '/playlists/{playlist_id}/items',
          url: 'https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items',
          params: {},
          status: 200,
          fetchedAt: '2026-11-21T01:02:05.000Z',
          body: JSON.stringify(page),
        },
      ],
    }
    const key = lakeKeys.raw({
      source: 'playlists',
      dt: DT,
      runId: RUN_ID,
      unit: 'playlist-3cEYpjA9oz9GiPac4AsH4n-p0000',
    })
    await store.put(key, await gzip(JSON.stringify(envelope)))
    vi.stubEnv('LAKE_S3_ACCESS_KEY_ID', s3.accessKeyId)
    vi.stubEnv('LAKE_S3_SECRET_ACCESS_KEY', s3.secretAccessKey)
    try {
      const args = [
        'replay',
        '--dt',
        DT,
        '--run',
        RUN_ID,
        '--endpoint',
        s3.endpoint,
        '--bucket',
        s3.bucket,
        '--json',
      ]
      const first = await lake(...args)
      expect(first.err).toBe('')
      expect(first.code).toBe(0)
      expect(JSON.parse(first.out)).toMatchObject([
        {
          runId: RUN_ID,
          rawObjects: 1,
          status: 'partial',
          tables: { playlist_items: { rows: 2, rejected: 1 } },
        },
      ])
      const tableKey = lakeKeys.table({ table: 'playlist_items', dt: DT, runId: RUN_ID })
      const before = await store.get(tableKey)
      const manifest = (await store.getJson<RunManifest>(lakeKeys.manifest(RUN_ID)))!
      expect(manifest).toMatchObject({
        status: 'partial',
        trigger: 'replay',
        reconciliation: { ok: true, itemsSeen: 6 },
      })
      expect((await lake(...args)).code).toBe(0)
      expect(await store.get(tableKey)).toEqual(before)
      expect(await store.listKeys('staging/')).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('refuses a run that may still be extracting, and --force rebuilds it', async () => {
    const store = createLakeStore({ ...s3 })
    // The raw object of the test above; its coordinator reports again, as if the run were still going.
    const closed = (await store.getJson<RunManifest>(lakeKeys.manifest(RUN_ID)))!
    const live = { ...closed, status: 'running', updatedAt: new Date().toISOString() }
    await store.putJson(lakeKeys.manifest(RUN_ID), live)
    vi.stubEnv('LAKE_S3_ACCESS_KEY_ID', s3.accessKeyId)
    vi.stubEnv('LAKE_S3_SECRET_ACCESS_KEY', s3.secretAccessKey)
    try {
      const args = ['replay', '--dt', DT, '--run', RUN_ID, '--endpoint', s3.endpoint, '--bucket', s3.bucket]
      const refused = await lake(...args)
      expect(refused.code).not.toBe(0)
      expect(refused.err).toContain(`run ${RUN_ID} is still open (running, last activity ${live.updatedAt})`)
      expect(refused.err).toContain('lake replay --force')
      expect(await store.getJson(lakeKeys.manifest(RUN_ID))).toEqual(live)
      const forced = await lake(...args, '--force')
      expect(forced.code).toBe(0)
      expect((await store.getJson<RunManifest>(lakeKeys.manifest(RUN_ID)))?.status).toBe('partial')
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('names missing S3 settings without printing any secret', async () => {
    vi.stubEnv('LAKE_S3_ENDPOINT', '')
    vi.stubEnv('LAKE_S3_SECRET_ACCESS_KEY', 'do-not-print-me')
    try {
      const { code, err } = await lake('replay', '--dt', DT)
      expect(code).toBe(2)
      expect(err).toMatch(/S3 is not configured: set LAKE_S3_ENDPOINT, LAKE_S3_BUCKET/)
      expect(err).not.toContain('do-not-print-me')
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('replays the local lake when no LAKE_S3_* is set (as query and runs do), and says when a run is incomplete', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'lake-replay-local-'))
    try {
      // What a killed `lake up` leaves behind: raw of part 0, a manifest with part 1 still pending.
      const local = await startS3rver({ directory: lakeDir, bucket: 'spotify-lake' })
      const store = createLakeStore({ ...local, retries: 0 })
      const key = lakeKeys.raw({
        source: 'playlists',
        dt: DT,
        runId: RUN_ID,
        unit: 'playlist-3cEYpjA9oz9GiPac4AsH4n-p0000',
      })
      await store.put(key, await gzip(JSON.stringify(envelopeOf(page))))
      await store.putJson(lakeKeys.manifest(RUN_ID), {
        v: 1,
        runId: RUN_ID,
        dt: DT,
        status: 'running',
        trigger: 'http',
        createdAt: '2026-11-21T01:02:03.456Z',
        updatedAt: '2026-11-21T01:02:09.000Z',
        units: {
          'playlist:3cEYpjA9oz9GiPac4AsH4n:0': {
            status: 'extracted',
            attempts: 1,
            rawKeys: [key],
            itemsSeen: 3,
          },
          'playlist:3cEYpjA9oz9GiPac4AsH4n:1': { status: 'pending', attempts: 0, rawKeys: [], itemsSeen: 0 },
        },
      })
      await local.close()

      const io = captureIo()
      const command = createReplayCommand({ env: {}, localLakeDir: lakeDir })
      const code = await runLake({ argv: ['replay', '--dt', DT, '--json'], io, commands: [command] })
      expect(io.err()).toMatch(
        new RegExp(
          `run ${RUN_ID} is incomplete for playlists, playlist_items.*unit playlist:3cEYpjA9oz9GiPac4AsH4n:1 is pending.*latest complete run`,
        ),
      )
      // Tables no unit of the run writes (plays, the user snapshots) are no fault of it: not named.
      expect(io.err()).not.toMatch(/plays|no unit of the run extracts it/)
      expect(code).toBe(0)
      expect(JSON.parse(io.out())).toMatchObject([
        { runId: RUN_ID, status: 'partial', tables: { playlist_items: { rows: 2, complete: false } } },
      ])
      const after = await startS3rver({ directory: lakeDir, bucket: 'spotify-lake' })
      try {
        const lake = createLakeStore({ ...after, retries: 0 })
        expect(
          await lake.head(lakeKeys.table({ table: 'playlist_items', dt: DT, runId: RUN_ID })),
        ).not.toBeNull()
        expect(await lake.head(lakeKeys.table({ table: 'run_tables', dt: DT, runId: RUN_ID }))).not.toBeNull()
      } finally {
        await after.close()
      }
    } finally {
      await rm(lakeDir, { recursive: true, force: true })
    }
  })
})

function envelopeOf(body: unknown) {
  return {
    v: 1,
    runId: RUN_ID,
    dt: DT,
    source: 'playlists',
    unit: { type: 'playlist', playlistId: '3cEYpjA9oz9GiPac4AsH4n', offset: 0, part: 0 },
    apiMode: 'development',
    extractedAt: '2026-11-21T01:02:04.000Z',
    responses: [
      {
        endpoint: '/playlists/{playlist_id}/items',
        url: 'https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items',
        params: {},
        status: 200,
        fetchedAt: '2026-11-21T01:02:05.000Z',
        body: JSON.stringify(body),
      },
    ],
  }
}
