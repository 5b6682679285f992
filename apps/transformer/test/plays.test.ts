/** @module The recently_played source's response to `plays` rows, and its tracks to the catalog tables. */
import { recordedText } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, FETCHED_AT, gzipJson, RUN_ID } from './support/fixtures.ts'

const ACCOUNT = 'aB3dE5fG7h'
// Recorded by zmb3/spotify in 2017: cursor paging, 20 plays, `context` null on 6 of them.
const text = recordedText('recently-played--zmb3--player_recently_played.json')
const page = JSON.parse(text) as {
  items: { played_at: string; track: { id: string }; context: { type: string; uri: string } | null }[]
}

async function transformPlays(body: unknown) {
  const unit = { type: 'recently-played', accountId: ACCOUNT } as const
  const env = envelope({
    source: 'recently_played',
    unit,
    responses: [{ endpoint: '/me/player/recently-played', body, params: { limit: '50' } }],
  })
  const name = `raw/recently_played/dt=${DT}/${RUN_ID}/recently-played-${ACCOUNT}.json.gz`
  const { output } = await transformRaw({
    bytes: await gzipJson(env),
    name,
    expect: { runId: RUN_ID, dt: DT, source: 'recently_played' },
  })
  return output
}

describe('plays from GET /me/player/recently-played', () => {
  it('makes one row per play, with the account, the instant, the track and the context (null outside one)', async () => {
    const out = await transformPlays(text)
    expect(out.plays.rejects).toEqual([])
    expect(out.plays.rows).toHaveLength(20)
    for (const row of out.plays.rows) expect(row.account_id).toBe(ACCOUNT)
    expect(out.plays.rows.map((r) => [(r.played_at as Date).toISOString(), r.track_id])).toEqual(
      page.items.map((p) => [p.played_at, p.track.id]),
    )
    expect(out.plays.rows.filter((r) => r.context_type === null)).toHaveLength(6)
    expect(out.plays.rows.map((r) => [r.context_type, r.context_uri])).toEqual(
      page.items.map((p) => [p.context?.type ?? null, p.context?.uri ?? null]),
    )
    expect(out.plays.rows[0]!._extracted_at).toEqual(new Date(FETCHED_AT))
  })

  it('keeps a play sent twice (overlapping polls in one object) as one row; the same track a moment later is another play', async () => {
    const first = page.items[0]!
    const second = page.items[1]!
    const again = { ...first, played_at: new Date(Date.parse(first.played_at) + 1).toISOString() }
    const out = await transformPlays({ ...page, items: [first, second, first, again] })
    expect(out.plays.rows.map((r) => [(r.played_at as Date).toISOString(), r.track_id])).toEqual(
      [first, second, again].map((p) => [p.played_at, p.track.id]),
    )
    expect(out.plays.duplicates).toBe(1)
    expect(out.plays.seen).toBe(4)
  })

  it('sends the tracks it played, their albums and artists to the catalog tables', async () => {
    const out = await transformPlays(text)
    const trackIds = new Set(page.items.map((p) => p.track.id))
    expect(new Set(out.tracks.rows.map((r) => r.track_id))).toEqual(trackIds)
    expect(out.tracks.rejects).toEqual([])
    expect(out.albums.rows.length).toBeGreaterThan(0)
    expect(out.artists.rows.length).toBeGreaterThan(0)
  })

  it('rejects a play without its time or track id, naming the path; a bad track field costs only the track', async () => {
    const body = structuredClone(page)
    delete (body.items[0] as Partial<(typeof body.items)[0]>).played_at
    ;(body.items[1]!.track as { id?: unknown }).id = 42
    ;(body.items[2]!.track as { duration_ms?: unknown }).duration_ms = 'long'
    const out = await transformPlays(body)
    expect(out.plays.rows).toHaveLength(18)
    expect(out.plays.rejects.map((r) => [r.path, r.detail])).toEqual([
      ['responses[0].items[0]', expect.stringContaining('played_at')],
      ['responses[0].items[1]', expect.stringContaining('track.id')],
    ])
    expect(out.tracks.rejects.map((r) => r.path)).toEqual(
      expect.arrayContaining(['responses[0].items[2].track']),
    )
  })

  it('takes no play whose account is unknown, and nothing from another folder', async () => {
    const unit = { type: 'tracks' as const, ids: ['x'], batch: 0 }
    const env = envelope({
      source: 'tracks',
      unit,
      responses: [{ endpoint: '/me/player/recently-played', body: text }],
    })
    const { output } = await transformRaw({
      bytes: await gzipJson(env),
      name: `raw/tracks/dt=${DT}/${RUN_ID}/tracks-b00000.json.gz`,
      expect: { runId: RUN_ID, dt: DT, source: 'tracks' },
    })
    expect(output.plays.rows).toEqual([])
    expect(output.plays.rejects.map((r) => r.reason)).toEqual(['unexpected_payload'])
  })
})
