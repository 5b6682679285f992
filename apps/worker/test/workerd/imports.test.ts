/**
 * @module POST /imports in workerd against the local S3: the upload streamed into raw parts without its
 * personal fields, one `import` message for the transformer, and bad uploads refused with the reason.
 */
import { createExecutionContext } from 'cloudflare:test'
import type { ImportMessage } from '@spotify-lake/schemas'
import { exportNameOfRawPart, readExport } from '@spotify-lake/spotify-export'
import { strToU8, zipSync } from 'fflate'
import { beforeEach, describe, expect, inject, it } from 'vitest'
import older from '../../../../packages/spotify-export/test/fixtures/quirks/MyData/endsong_0.json?raw'
import newer from '../../../../packages/spotify-export/test/fixtures/quirks/Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json?raw'
import music from '../../../../packages/spotify-export/test/fixtures/samples/Spotify Account Data/StreamingHistory_music_0.json?raw'
import worker from '../../src/index.ts'
import { lake, type TestEnv, testEnv, wipe } from './support/helpers.ts'

const { secrets } = inject('spotify')
const auth = { authorization: `Bearer ${secrets.apiToken}` }

async function post(
  t: TestEnv,
  query: string,
  body: BodyInit | null,
  headers: Record<string, string> = auth,
) {
  const res = await worker.fetch(
    new Request(`http://worker.test/imports${query}`, { method: 'POST', headers, body }),
    t.env,
    createExecutionContext(),
  )
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const zip = () =>
  zipSync({
    'MyData/endsong_0.json': strToU8(older),
    'Spotify Extended Streaming History/Streaming_History_Audio_2014-2015_0.json': strToU8(newer),
    'Spotify Account Data/StreamingHistory_music_0.json': strToU8(music),
    'Spotify Account Data/Userdata.json': strToU8(
      '{"username":"listener-example","email":"someone@example.com"}',
    ),
  })

/** The body as a stream of small chunks, as a large upload arrives. */
function streamed(bytes: Uint8Array, size = 1000): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

beforeEach(() => wipe('raw/privacy_export/'))

describe('POST /imports', () => {
  it('streams a zip into raw parts without personal fields and asks the transformer to import them', async () => {
    const t = testEnv()
    const { status, body } = await post(t, '?account=acc', streamed(zip()))
    expect([status, body]).toEqual([
      202,
      {
        run_id: expect.any(String),
        dt: expect.any(String),
        account_id: 'acc',
        files: 3,
        records: 32,
        raw_parts: 3,
      },
    ])
    const sent = t.transform.take().map((s) => s.body as ImportMessage)
    expect(sent).toEqual([
      {
        v: 1,
        kind: 'import',
        runId: body.run_id,
        dt: body.dt,
        accountId: 'acc',
        rawKeys: [
          `raw/privacy_export/dt=${body.dt}/${body.run_id}/000-0000-endsong_0.json.gz`,
          `raw/privacy_export/dt=${body.dt}/${body.run_id}/001-0000-Streaming_History_Audio_2014-2015_0.json.gz`,
          `raw/privacy_export/dt=${body.dt}/${body.run_id}/002-0000-StreamingHistory_music_0.json.gz`,
        ],
      },
    ])
    // Each part reads back as the play file it came from, less the personal fields.
    let text = ''
    let plays = 0
    for (const key of sent[0]!.rawKeys) {
      const bytes = (await lake().get(key))!
      const inflated = new Uint8Array(
        await new Response(
          new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
        ).arrayBuffer(),
      )
      text += new TextDecoder().decode(inflated)
      for await (const batch of readExport({
        name: exportNameOfRawPart(key),
        chunks: streamed(inflated) as unknown as AsyncIterable<Uint8Array>,
      }))
        plays += batch.filter((i) => i.type === 'play').length
    }
    expect(plays).toBe(31)
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

  it('takes one play file named in ?name', async () => {
    const t = testEnv()
    const { status, body } = await post(t, '?account=acc&name=StreamingHistory_music_0.json', music)
    expect([status, body.records, body.raw_parts]).toEqual([202, 25, 1])
  })

  it('refuses a missing account, a name that is no play file, an empty body, a broken upload, and no token', async () => {
    const t = testEnv()
    expect((await post(t, '', streamed(zip()))).status).toBe(400)
    const other = await post(t, '?account=acc&name=Userdata.json', '{}')
    expect([other.status, other.body.error]).toEqual([
      400,
      expect.stringMatching(/neither a \.zip nor a play file/),
    ])
    const empty = await post(t, '?account=acc', null)
    expect([empty.status, empty.body.error]).toEqual([400, expect.stringMatching(/empty body/)])
    const cut = await post(t, '?account=acc', streamed(zip().slice(0, 200)))
    expect([cut.status, cut.body.error]).toEqual([
      400,
      expect.stringMatching(/endsong_0\.json: the zip ends inside this file.*; nothing was imported/),
    ])
    const none = await post(t, '?account=acc', streamed(zipSync({ 'Userdata.json': strToU8('{}') })))
    expect([none.status, none.body.error]).toEqual([400, expect.stringMatching(/holds no play files/)])
    expect((await post(t, '?account=acc', streamed(zip()), {})).status).toBe(401)
    expect(t.transform.take()).toEqual([])
  })
})
