import { describe, expect, it } from 'vitest'
import {
  DtSchema,
  ExtractMessageSchema,
  lakeKeys,
  newRunId,
  RawEnvelopeSchema,
  RunIdSchema,
  RunManifestSchema,
  runIdTime,
  TransformQueueMessageSchema,
  toDt,
} from '../../src/pipeline/index.ts'

describe('run ids', () => {
  it('are valid, sortable by start time and encode it', () => {
    const a = newRunId({ now: new Date('2026-11-21T01:02:03.004Z'), random: () => 0.5 })
    const b = newRunId({ now: new Date('2026-11-21T01:02:03.005Z'), random: () => 0 })
    expect(RunIdSchema.parse(a)).toBe('20261121T010203004Z-ssssss')
    expect([b, a].sort()).toEqual([a, b])
    expect(runIdTime(a).toISOString()).toBe('2026-11-21T01:02:03.004Z')
  })
  it('differ between calls with real randomness', () => {
    const now = new Date()
    expect(newRunId({ now })).not.toBe(newRunId({ now }))
  })
})

describe('dt', () => {
  it('accepts real dates only', () => {
    expect(toDt(new Date('2026-02-28T23:59:59Z'))).toBe('2026-02-28')
    expect(DtSchema.safeParse('2026-02-28').success).toBe(true)
    expect(DtSchema.safeParse('2026-02-30').success).toBe(false)
    expect(DtSchema.safeParse('2026-2-3').success).toBe(false)
  })
})

describe('lake keys', () => {
  const runId = '20261121T010203004Z-abc123'
  it('spell the layout of the design', () => {
    expect(lakeKeys.raw({ source: 'playlists', dt: '2026-11-21', runId, unit: '37i9dQ.p0' })).toBe(
      'raw/playlists/dt=2026-11-21/20261121T010203004Z-abc123/37i9dQ.p0.json.gz',
    )
    expect(lakeKeys.table({ table: 'tracks', dt: '2026-11-21', runId })).toBe(
      'tables/tracks/dt=2026-11-21/20261121T010203004Z-abc123.parquet',
    )
    expect(lakeKeys.rejected({ table: 'tracks', dt: '2026-11-21', runId })).toBe(
      'rejected/tracks/dt=2026-11-21/20261121T010203004Z-abc123.jsonl.gz',
    )
    expect(lakeKeys.manifest(runId)).toBe('runs/20261121T010203004Z-abc123.json')
  })
  it('refuse unit names that could escape their folder', () => {
    expect(() => lakeKeys.raw({ source: 'tracks', dt: '2026-11-21', runId, unit: '../x' })).toThrow(/unsafe/)
    expect(() => lakeKeys.state('a/b')).toThrow(/unsafe/)
  })
})

describe('messages', () => {
  const base = { v: 1, runId: '20261121T010203004Z-abc123', dt: '2026-11-21' }
  it('fill defaults and reject unknown versions and bad ids', () => {
    const m = ExtractMessageSchema.parse({
      ...base,
      kind: 'extract',
      unit: { type: 'playlist', playlistId: 'abc' },
    })
    expect(m).toMatchObject({ force: false, unit: { offset: 0, part: 0 } })
    expect(ExtractMessageSchema.safeParse({ ...m, v: 2 }).success).toBe(false)
    const bad = ExtractMessageSchema.safeParse({
      ...base,
      kind: 'extract',
      unit: { type: 'tracks', ids: ['a/b'], batch: 0 },
    })
    expect(bad.success).toBe(false)
  })
  it('route transform, finalize and replay by kind', () => {
    const kinds = [
      { ...base, kind: 'transform', source: 'tracks', rawKey: 'raw/tracks/x.json.gz' },
      { ...base, kind: 'finalize' },
      { v: 1, kind: 'replay', dt: '2026-11-21' },
    ].map((m) => TransformQueueMessageSchema.parse(m).kind)
    expect(kinds).toEqual(['transform', 'finalize', 'replay'])
    expect(
      TransformQueueMessageSchema.safeParse({ ...base, kind: 'transform', source: 'x', rawKey: 'raw/' })
        .success,
    ).toBe(false)
  })
})

describe('raw envelope and manifest', () => {
  it('keep bodies as text and fill manifest defaults', () => {
    const env = RawEnvelopeSchema.parse({
      v: 1,
      runId: '20261121T010203004Z-abc123',
      dt: '2026-11-21',
      source: 'playlists',
      unit: { type: 'playlist', playlistId: 'abc' },
      apiMode: 'development',
      extractedAt: '2026-11-21T01:02:03.004Z',
      responses: [
        {
          endpoint: '/playlists/{id}',
          url: 'https://api.spotify.com/v1/playlists/abc',
          params: {},
          status: 200,
          fetchedAt: '2026-11-21T01:02:03.004Z',
          body: '{"id":"abc","n":1.0}',
        },
      ],
    })
    expect(env.responses[0]?.body).toBe('{"id":"abc","n":1.0}')
    const manifest = RunManifestSchema.parse({
      v: 1,
      runId: '20261121T010203004Z-abc123',
      dt: '2026-11-21',
      status: 'running',
      trigger: 'http',
      createdAt: '2026-11-21T01:02:03.004Z',
      updatedAt: '2026-11-21T01:02:03.004Z',
    })
    expect(manifest.api.calls).toBe(0)
    expect(manifest.units).toEqual({})
    expect(RunManifestSchema.safeParse({ ...manifest, status: 'done' }).success).toBe(false)
  })

  it("reads an older manifest: status 'dead-lettered' as 'dead_lettered', a unit's items as itemsSeen", () => {
    const base = {
      v: 1,
      runId: '20261121T010203004Z-abc123',
      dt: '2026-11-21',
      status: 'partial',
      trigger: 'http',
      createdAt: '2026-11-21T01:02:03.004Z',
      updatedAt: '2026-11-21T01:02:03.004Z',
    }
    const old = RunManifestSchema.parse({ ...base, units: { 'albums:0': { status: 'dead-lettered' } } })
    expect(old.units['albums:0']?.status).toBe('dead_lettered')
    const counted = RunManifestSchema.parse({
      ...base,
      units: { 'albums:0': { status: 'extracted', items: 7 } },
    })
    expect(counted.units['albums:0']).toMatchObject({ itemsSeen: 7 })
    expect(counted.units['albums:0']).not.toHaveProperty('items')
    const now = RunManifestSchema.parse({ ...base, units: { 'albums:0': { status: 'dead_lettered' } } })
    expect(now.units['albums:0']?.status).toBe('dead_lettered')
    expect(
      RunManifestSchema.safeParse({ ...base, units: { 'albums:0': { status: 'dead lettered' } } }).success,
    ).toBe(false)
  })
})
