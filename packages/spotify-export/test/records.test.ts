/** @module FORMAT.md's quirks as exact expected plays: one fixture record per quirk (fixtures/SOURCES.md). */
import { describe, expect, it } from 'vitest'
import type { ExportItem, ExportPlay } from '../src/index.ts'
import { fixture, readAll } from './support/read.ts'

const NONE = {
  track_id: null,
  track_name: null,
  artist_name: null,
  album_name: null,
  episode_id: null,
  episode_name: null,
  episode_show_name: null,
  audiobook_id: null,
  audiobook_title: null,
  audiobook_chapter_id: null,
  audiobook_chapter_title: null,
  reason_start: null,
  reason_end: null,
  shuffle: null,
  skipped: null,
  offline: null,
  offline_timestamp: null,
  incognito_mode: null,
  platform: null,
  conn_country: null,
} as const

const plays = (items: ExportItem[]): ExportPlay[] => items.flatMap((i) => (i.type === 'play' ? [i.play] : []))

async function read(path: string): Promise<ExportItem[]> {
  return readAll(path, fixture(path))
}

describe('an older extended export (endsong_*, MyData/)', () => {
  it('gives one exact play per record: ms offline_timestamp, null skipped, unknown content, unknown reasons', async () => {
    expect(plays(await read('quirks/MyData/endsong_0.json'))).toEqual([
      {
        ...NONE,
        source: 'extended_history',
        played_at: new Date('2014-06-01T10:00:05Z'),
        item_type: 'track',
        track_id: '1aaaaaaaaaaaaaaaaaaaaa',
        track_name: 'Song 1 of Night Velvet',
        artist_name: 'Night Velvet',
        album_name: 'Album 1 by Night Velvet',
        ms_played: 201000,
        reason_start: 'clickrow',
        reason_end: 'trackdone',
        shuffle: false,
        skipped: null,
        offline: true,
        offline_timestamp: new Date('2014-06-01T10:00:00Z'),
        incognito_mode: false,
        platform: 'Windows 7 (6.1.7601; x64; SP1; S)',
        conn_country: 'SE',
      },
      {
        // Every metadata field and URI null: unknown content, kept; ZZ and offline_timestamp 0 are placeholders.
        ...NONE,
        source: 'extended_history',
        played_at: new Date('2014-06-01T10:00:05Z'),
        item_type: 'unknown',
        ms_played: 0,
        reason_start: 'popup',
        reason_end: 'some-future-reason',
        shuffle: false,
        skipped: null,
        offline: false,
        incognito_mode: false,
        platform: 'Windows 7 (6.1.7601; x64; SP1; S)',
      },
      {
        // A different play ending in the same second.
        ...NONE,
        source: 'extended_history',
        played_at: new Date('2014-06-01T10:00:05Z'),
        item_type: 'track',
        track_id: '2bbbbbbbbbbbbbbbbbbbbb',
        track_name: 'Song 2 of Night Velvet',
        artist_name: 'Night Velvet',
        album_name: 'Album 1 by Night Velvet',
        ms_played: 1200,
        reason_start: 'fwdbtn',
        reason_end: 'fwdbtn',
        shuffle: true,
        skipped: true,
        offline: false,
        offline_timestamp: new Date('2014-06-01T09:46:40Z'),
        incognito_mode: true,
        platform: 'iOS 7.1.1 (iPhone6,2)',
        conn_country: 'SE',
      },
      {
        // Names without a URI (a local file): a track play with no track id.
        ...NONE,
        source: 'extended_history',
        played_at: new Date('2014-06-01T10:04:00Z'),
        item_type: 'track',
        track_name: 'A local file',
        artist_name: 'Someone Local',
        ms_played: 150000,
        reason_start: 'trackdone',
        reason_end: 'trackdone',
        shuffle: false,
        skipped: false,
        offline: false,
        incognito_mode: false,
        platform: 'android',
        conn_country: 'DE',
      },
    ])
  })
})

describe('a newer extended export whose years overlap the older one', () => {
  it('gives the same play again with seconds turned into the same offline_timestamp, an episode, and a reject', async () => {
    const items = await read(
      'quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json',
    )
    const older = plays(await read('quirks/MyData/endsong_0.json'))
    const [again, episode] = plays(items)
    expect(again).toEqual(older[0])
    expect(episode).toEqual({
      ...NONE,
      source: 'extended_history',
      played_at: new Date('2015-01-02T08:30:00Z'),
      item_type: 'episode',
      episode_id: '7ccccccccccccccccccccc',
      episode_name: 'Episode 7: on silence',
      episode_show_name: 'The Quiet Show',
      ms_played: 60000,
      reason_start: 'playbtn',
      reason_end: 'endplay',
      shuffle: false,
      skipped: false,
      offline: false,
      offline_timestamp: new Date('2015-01-02T08:29:00Z'),
      incognito_mode: false,
      platform: 'android',
      conn_country: 'SE',
    })
    const rejects = items.filter((i) => i.type === 'reject')
    expect(rejects).toEqual([
      {
        type: 'reject',
        path: 'quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json',
        index: 2,
        reject: {
          reason: 'invalid_payload',
          detail: 'ts: expected an ISO 8601 UTC time, got "2015-01-02 08:35:00"',
          record: expect.not.objectContaining({ ip_addr: expect.anything() }),
        },
      },
    ])
  })
})

describe('a video file and the account data', () => {
  it('reads video podcast plays as episodes', async () => {
    expect(
      plays(await read('quirks/Spotify Extended Streaming History/Streaming_History_Video_2019-2023.json')),
    ).toEqual([
      {
        ...NONE,
        source: 'extended_history',
        played_at: new Date('2023-02-03T21:15:00Z'),
        item_type: 'episode',
        episode_id: '2eeeeeeeeeeeeeeeeeeeee',
        episode_name: 'Video episode 2',
        episode_show_name: 'The Seen Show',
        ms_played: 1800000,
        reason_start: 'clickrow',
        reason_end: 'endplay',
        shuffle: false,
        skipped: false,
        offline: false,
        offline_timestamp: new Date('2023-02-03T21:00:00Z'),
        incognito_mode: false,
        platform: 'web_player',
        conn_country: 'NL',
      },
    ])
  })

  it('reads the older StreamingHistory<n>.json as music with names and minute precision', async () => {
    expect(plays(await read('quirks/MyData/StreamingHistory0.json'))).toEqual([
      {
        ...NONE,
        source: 'account_data',
        played_at: new Date('2019-12-31T23:59:00Z'),
        item_type: 'track',
        track_name: 'Song 1 of Night Velvet',
        artist_name: 'Night Velvet',
        ms_played: 201000,
      },
      {
        ...NONE,
        source: 'account_data',
        played_at: new Date('2020-01-01T00:03:00Z'),
        item_type: 'track',
        track_name: 'Unknown Track',
        artist_name: 'Unknown Artist',
        ms_played: 0,
      },
    ])
  })

  it('reads StreamingHistory_podcast_*.json as episodes by show and episode name', async () => {
    const [first, ...rest] = plays(await read('samples/Spotify Account Data/StreamingHistory_podcast_0.json'))
    expect(first).toEqual({
      ...NONE,
      source: 'account_data',
      played_at: new Date('2025-01-03T00:46:00Z'),
      item_type: 'episode',
      episode_name: 'Episode 0',
      episode_show_name: 'The Quiet Show',
      ms_played: 2838242,
    })
    expect(rest).toHaveLength(4)
  })
})
