/** @module Export plays to plays rows: keys, matching account data by names, the ledger's verdicts. */
import { PlayRowSchema } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { ImportLedger, playKeyString, TrackIndex, toPlayRowOfExport } from '../src/index.ts'
import { fixture, readAll } from './support/read.ts'

const lineage = {
  accountId: 'acc',
  runId: '20261129T200000000Z-import',
  extractedAt: new Date('2026-11-29T20:00:00Z'),
}

async function playsOf(path: string) {
  return (await readAll(path, fixture(path))).flatMap((i) => (i.type === 'play' ? [i.play] : []))
}

const OLDER = 'quirks/MyData/endsong_0.json'
const NEWER = 'quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json'

describe('toPlayRowOfExport', () => {
  it('gives valid plays rows keyed by URI, names or unknown, and the play time, with ms_played', async () => {
    const rows = [...(await playsOf(OLDER)), ...(await playsOf('quirks/MyData/StreamingHistory0.json'))].map(
      (p) => toPlayRowOfExport(p, lineage).row,
    )
    for (const row of rows) expect(PlayRowSchema.parse(row)).toEqual(row)
    expect(rows.map((r) => [r.played_at.toISOString(), r.play_key])).toEqual([
      ['2014-06-01T10:00:05.000Z', 'spotify:track:1aaaaaaaaaaaaaaaaaaaaa@201000'],
      ['2014-06-01T10:00:05.000Z', 'unknown@0'],
      ['2014-06-01T10:00:05.000Z', 'spotify:track:2bbbbbbbbbbbbbbbbbbbbb@1200'],
      ['2014-06-01T10:04:00.000Z', 'names:["Someone Local","A local file"]@150000'],
      ['2019-12-31T23:59:00.000Z', 'names:["Night Velvet","Song 1 of Night Velvet"]@201000'],
      ['2020-01-01T00:03:00.000Z', 'names:["Unknown Artist","Unknown Track"]@0'],
    ])
    expect(rows[0]).toMatchObject({
      account_id: 'acc',
      source: 'extended_history',
      context_type: null,
      _run_id: lineage.runId,
    })
  })

  it('matches account-data music to the one catalog track of that artist and name, case and accents folded', async () => {
    const tracks = new TrackIndex([
      { track_id: 'nv1', name: 'song 1 of night velvet', artist_names: ['Someone', 'NIGHT VELVET'] },
      { track_id: 'u1', name: 'Unknown Track', artist_names: ['Unknown Artist'] },
      { track_id: 'u2', name: 'Unknown Track', artist_names: ['Unknown Artist'] },
    ])
    const [song, unknown] = (await playsOf('quirks/MyData/StreamingHistory0.json')).map((p) =>
      toPlayRowOfExport(p, { ...lineage, tracks }),
    )
    expect([song?.match, song?.row.track_id, song?.row.track_name]).toEqual([
      'matched',
      'nv1',
      'Song 1 of Night Velvet',
    ])
    // The key stays the names': a later import with a bigger catalog meets the same key.
    expect(song?.row.play_key).toBe('names:["Night Velvet","Song 1 of Night Velvet"]@201000')
    expect([unknown?.match, unknown?.row.track_id]).toEqual(['ambiguous', null])
    const [alone] = (await playsOf('quirks/MyData/StreamingHistory0.json')).map((p) =>
      toPlayRowOfExport(p, lineage),
    )
    expect([alone?.match, alone?.row.track_id]).toEqual(['unmatched', null])
  })
})

describe('ImportLedger', () => {
  it('writes the same play of two overlapping files once, and nothing of an import already in the lake', async () => {
    const rows = [...(await playsOf(OLDER)), ...(await playsOf(NEWER))].map(
      (p) => toPlayRowOfExport(p, lineage).row,
    )
    const first = new ImportLedger()
    expect(rows.map((r) => first.judge(r))).toEqual(['new', 'new', 'new', 'new', 'duplicate', 'new'])
    const lake = new Set(rows.map(playKeyString))
    const again = new ImportLedger((key) => lake.has(key))
    expect(rows.map((r) => again.judge(r))).toEqual([
      'in_lake',
      'in_lake',
      'in_lake',
      'in_lake',
      'duplicate',
      'in_lake',
    ])
  })

  it('calls a row of a known key with other values a conflict, whatever its lineage', async () => {
    const [row] = (await playsOf(OLDER)).map((p) => toPlayRowOfExport(p, lineage).row)
    const ledger = new ImportLedger()
    expect(ledger.judge(row!)).toBe('new')
    expect(ledger.judge({ ...row!, _run_id: 'other', _extracted_at: new Date(0) })).toBe('duplicate')
    expect(ledger.judge({ ...row!, skipped: false })).toBe('conflict')
  })
})
