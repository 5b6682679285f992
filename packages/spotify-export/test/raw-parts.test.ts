/** @module Raw parts: an upload cut into gzip JSON arrays that read back as the files they came from. */
import { gunzipSync, strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { type ExportItem, exportNameOfRawPart, rawPartsOf } from '../src/index.ts'
import { chunked, fixture, readAll } from './support/read.ts'

const OLDER = 'quirks/MyData/endsong_0.json'
const NEWER = 'quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json'
const records = (items: ExportItem[]) =>
  items.flatMap((i) => (i.type === 'play' ? [i.record] : i.type === 'reject' ? [i.reject.record] : []))

describe('rawPartsOf', () => {
  it('cuts each play file of a zip into parts of at most N records that read back record for record', async () => {
    const zip = zipSync({
      'MyData/endsong_0.json': fixture(OLDER),
      'x/Streaming_History_Audio_2014-2015_0.json': fixture(NEWER),
      'Userdata.json': strToU8('{"username":"u"}'),
    })
    const parts = []
    for await (const part of rawPartsOf({ name: 'export.zip', chunks: chunked(zip, 64) }, { partRecords: 3 }))
      parts.push(part)
    expect(parts.map((p) => [p.name, p.path, p.records])).toEqual([
      ['000-0000-endsong_0', 'MyData/endsong_0.json', 3],
      ['000-0001-endsong_0', 'MyData/endsong_0.json', 1],
      ['001-0000-Streaming_History_Audio_2014-2015_0', 'x/Streaming_History_Audio_2014-2015_0.json', 3],
    ])
    const back: unknown[] = []
    for (const part of parts) {
      const name = exportNameOfRawPart(`raw/privacy_export/dt=2026-11-29/r/${part.name}.json.gz`)
      back.push(...records(await readAll(name, gunzipSync(part.bytes))))
    }
    const original = [
      ...records(await readAll(OLDER, fixture(OLDER))),
      ...records(await readAll(NEWER, fixture(NEWER))),
    ]
    expect(back).toEqual(original)
    expect(JSON.stringify(back)).not.toMatch(/ip_addr|username|user_agent|198\.51\.100\./)
  })

  it('keeps an empty play file as one empty part, so the upload says it was there', async () => {
    const parts = []
    for await (const part of rawPartsOf({
      name: 'StreamingHistory_music_0.json',
      chunks: chunked(strToU8('[]')),
    }))
      parts.push(part)
    expect(parts.map((p) => [p.name, p.records, new TextDecoder().decode(gunzipSync(p.bytes))])).toEqual([
      ['000-0000-StreamingHistory_music_0', 0, '[\n\n]\n'],
    ])
  })
})
