/** @module Reading whole files and zips: the samples to their expected plays, any chunking, zips, bad input. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { ExportFormatError, type ExportItem, exportFileKind } from '../src/index.ts'
import { FIXTURES, fixture, readAll } from './support/read.ts'

const SAMPLES = [
  'samples/Spotify Extended Streaming History/Streaming_History_Audio_2021_0.json',
  'samples/Spotify Extended Streaming History/Streaming_History_Audio_2023_1.json',
  'samples/Spotify Account Data/StreamingHistory_music_0.json',
  'samples/Spotify Account Data/StreamingHistory_podcast_0.json',
]

const playsOf = (items: ExportItem[]) => items.flatMap((i) => (i.type === 'play' ? [i.play] : []))
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value))

describe('the shared samples', () => {
  it.each(SAMPLES)('%s gives its expected plays, one per record', async (path) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected', path.split('/').at(-1)!), 'utf8'))
    const records = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as unknown[]
    const items = await readAll(path, fixture(path))
    expect(asJson(playsOf(items))).toEqual(expected)
    expect(expected).toHaveLength(records.length)
    expect(items.filter((i) => i.type === 'reject')).toEqual([])
  })

  it('holds each record field by field: ids from URIs, seconds of offline_timestamp as times', async () => {
    const path = SAMPLES[1]!
    const records = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>[]
    const plays = playsOf(await readAll(path, fixture(path)))
    plays.forEach((play, i) => {
      const r = records[i]!
      expect(play.played_at.toISOString().replace('.000Z', 'Z')).toBe(r.ts)
      expect(play.track_id).toBe((r.spotify_track_uri as string | null)?.split(':')[2] ?? null)
      expect(play.episode_id).toBe((r.spotify_episode_uri as string | null)?.split(':')[2] ?? null)
      expect(play.audiobook_chapter_id).toBe(
        (r.audiobook_chapter_uri as string | null)?.split(':')[2] ?? null,
      )
      expect(play.offline_timestamp?.getTime()).toBe((r.offline_timestamp as number) * 1000)
      expect([play.ms_played, play.skipped, play.reason_end]).toEqual([r.ms_played, r.skipped, r.reason_end])
    })
    expect(plays.filter((p) => p.item_type === 'audiobook_chapter').at(-1)).toMatchObject({
      audiobook_title: 'A Long Walk',
      audiobook_id: '3t21a8dypMIBpCVldge8vi',
      audiobook_chapter_id: 'NpTkTk24cTYLn73KJP3rcU',
      audiobook_chapter_title: 'Chapter 3',
    })
  })

  it('yields the same items whatever the chunking (records, strings and UTF-8 split across chunks)', async () => {
    const path = SAMPLES[0]!
    const whole = await readAll(path, fixture(path), 1 << 20)
    expect(await readAll(path, fixture(path), 1)).toEqual(whole)
    expect(await readAll(path, fixture(path), 7)).toEqual(whole)
  })
})

describe('personal data', () => {
  it('never yields IP addresses, user agents or usernames, not even in the kept record or a reject', async () => {
    const paths = [
      ...SAMPLES,
      'quirks/MyData/endsong_0.json',
      'quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json',
    ]
    const text = JSON.stringify(await Promise.all(paths.map((p) => readAll(p, fixture(p)))))
    expect(text).toContain('Night Velvet')
    for (const personal of [
      '192.0.2.',
      '198.51.100.',
      'ip_addr',
      'user_agent',
      'Mozilla',
      'username',
      'listener-example',
    ])
      expect(text).not.toContain(personal)
  })
})

function zipOf(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: 6 }]])),
  )
}

/** A zip written as a stream: sizes come after each file (data descriptors), as streaming servers write them. */
function streamedZipOf(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = []
  const zip = new Zip((error, data) => {
    if (error) throw error
    parts.push(data)
  })
  for (const [name, bytes] of Object.entries(files)) {
    const file = new ZipDeflate(name, { level: 6 })
    zip.add(file)
    file.push(bytes, true)
  }
  zip.end()
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

describe('zips', () => {
  const files = {
    'my_spotify_data/Spotify Extended Streaming History/Streaming_History_Audio_2021_0.json': fixture(
      SAMPLES[0]!,
    ),
    'my_spotify_data/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf':
      strToU8('%PDF'),
    'my_spotify_data/Spotify Account Data/Userdata.json': strToU8(
      '{"username":"listener-example","email":"x@example.com"}',
    ),
    'my_spotify_data/Spotify Account Data/StreamingHistory_music_0.json': fixture(SAMPLES[2]!),
  }
  const plainPlays = async () =>
    asJson([
      ...playsOf(await readAll(SAMPLES[0]!, fixture(SAMPLES[0]!))),
      ...playsOf(await readAll(SAMPLES[2]!, fixture(SAMPLES[2]!))),
    ])

  it.each([
    ['sizes in the headers', zipOf],
    ['data descriptors', streamedZipOf],
  ])('reads the play files of a zip with %s, streaming, and never opens the others', async (_, make) => {
    const items = await readAll('my_spotify_data.zip', make(files), 500)
    expect(asJson(playsOf(items))).toEqual(await plainPlays())
    expect(items.filter((i) => i.type === 'ignored').map((i) => i.path)).toEqual([
      'my_spotify_data/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf',
      'my_spotify_data/Spotify Account Data/Userdata.json',
    ])
    expect(JSON.stringify(items)).not.toContain('listener-example')
  })

  it('refuses a truncated zip, naming the file it ends in', async () => {
    const bytes = zipOf(files)
    await expect(readAll('my_spotify_data.zip', bytes.subarray(0, 1000))).rejects.toThrow(ExportFormatError)
    await expect(readAll('my_spotify_data.zip', bytes.subarray(0, 1000))).rejects.toThrow(
      /Streaming_History_Audio_2021_0\.json: the zip ends inside this file/,
    )
    // Cut between files or in the central directory: every file read whole, the end record missing.
    await expect(readAll('my_spotify_data.zip', bytes.subarray(0, bytes.byteLength - 30))).rejects.toThrow(
      /my_spotify_data\.zip: the zip is truncated/,
    )
  })

  it('refuses a file named .zip that is no zip', async () => {
    await expect(readAll('my_spotify_data.zip', strToU8('[{"ts": 1}]'))).rejects.toThrow(ExportFormatError)
  })
})

describe('bad input', () => {
  const name = 'Streaming_History_Audio_2021_0.json'
  it.each([
    ['a truncated file', '[{"ts":"2021-01-01T00:00:00Z","ms_played":1},{"ts":', /mid-parsing/],
    ['an object instead of an array', '{"ts":"2021-01-01T00:00:00Z"}', /expected a JSON array/],
    ['an empty file', '', /empty file/],
    ['two values', '[] []', /Unexpected/],
  ])('refuses %s with the file named', async (_, text, message) => {
    const read = readAll(name, strToU8(text))
    await expect(read).rejects.toThrow(ExportFormatError)
    await expect(readAll(name, strToU8(text))).rejects.toThrow(message)
  })

  it('rejects a record that is no object, or has a field of the wrong type, and goes on', async () => {
    const items = await readAll(
      name,
      strToU8(
        '[1, {"ts":"2021-01-01T00:00:00Z","ms_played":"12"}, {"ts":"2021-01-01T00:00:00Z","ms_played":12}]',
      ),
    )
    expect(
      items.filter((i) => i.type === 'reject').map((i) => i.type === 'reject' && i.reject.detail),
    ).toEqual([
      'expected an object, got 1',
      'ms_played: expected a whole number of milliseconds >= 0, got "12"',
    ])
    expect(playsOf(items)).toHaveLength(1)
  })

  it('refuses a file that holds no plays', async () => {
    await expect(readAll('Userdata.json', strToU8('{}'))).rejects.toThrow(/not a play file/)
  })
})

describe('exportFileKind', () => {
  it('knows the play files of both packages, in any folder, old and new names', () => {
    expect(
      [
        'Spotify Extended Streaming History/Streaming_History_Audio_2014-2016_0.json',
        'Streaming_History_Video_2019-2023.json',
        'MyData/endsong_12.json',
        'Spotify Account Data/StreamingHistory_music_1.json',
        'MyData/StreamingHistory3.json',
        'StreamingHistory_podcast_0.json',
        'Spotify Account Data/Userdata.json',
        'Playlist1.json',
        '__MACOSX/._endsong_0.json',
      ].map(exportFileKind),
    ).toEqual([
      'extended_history',
      'extended_history',
      'extended_history',
      'account_data_music',
      'account_data_music',
      'account_data_podcast',
      null,
      null,
      null,
    ])
  })
})
