/**
 * @module POST /imports: a Spotify privacy export (zip or one play file) streamed into the raw zone, in
 * parts, without its personal fields; the transformer imports the parts into `plays` (an `import`
 * message on the TRANSFORM queue).
 */
import { AccountIdSchema, type Dt, type ImportMessage, lakeKeys, newRunId } from '@spotify-lake/schemas'
import { ExportFormatError, exportFileKind, rawPartsOf } from '@spotify-lake/spotify-export'
import { Hono } from 'hono'
import { lakeStoreOf } from '../extract/consumer.ts'
import { log } from '../log.ts'
import { jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

/**
 * `POST /imports?account=<account_id>[&name=<file name>]`, Bearer auth, the body the zip Spotify sent
 * (`application/zip`, the default name `my_spotify_data.zip`) or one play file (its name in `name`).
 * The body streams: memory is one raw part (10,000 records) at a time, never the upload. Answers 202
 * `{ run_id, dt, account_id, files, records, raw_parts }`; 400 for a missing account, a name that is no
 * play file, an empty body, or an upload that is not what it says (the file named, nothing imported).
 * The request body limit is Cloudflare's (100 MB on the Free and Pro plans): a 15-year export zips to
 * about 11 MB.
 */
export const importsRoute = new Hono<AppEnv>().post('/imports', async (c) => {
  const account = AccountIdSchema.safeParse(c.req.query('account'))
  if (!account.success)
    return jsonError(c, 400, 'name the account the plays are of: ?account=<account_id> (GET /me account_id)')
  const name = c.req.query('name') ?? 'my_spotify_data.zip'
  if (!/\.zip$/i.test(name) && exportFileKind(name) === null)
    return jsonError(c, 400, `name is neither a .zip nor a play file of a Spotify export: ${name}`)
  const body = c.req.raw.body
  if (!body) return jsonError(c, 400, 'empty body: send the export zip (or one play file) as the body')

  const now = new Date()
  const runId = newRunId({ now })
  const dt = now.toISOString().slice(0, 10) as Dt
  const store = lakeStoreOf(c.get('plan'))
  const rawKeys: string[] = []
  const files = new Set<string>()
  let records = 0
  try {
    for await (const part of rawPartsOf({ name, chunks: chunksOf(body) })) {
      const key = lakeKeys.rawImport({ dt, runId, file: part.name })
      await store.put(key, part.bytes, { contentType: 'application/gzip' })
      rawKeys.push(key)
      files.add(part.path)
      records += part.records
    }
  } catch (error) {
    if (!(error instanceof ExportFormatError)) throw error
    log.warn('imports.invalid', { run_id: runId, error: error.message.slice(0, 300) })
    // Parts already written stay in raw (raw is never rewritten); no import message, so no rows.
    return jsonError(c, 400, `not a readable export: ${error.message}; nothing was imported`, {
      run_id: runId,
    })
  }
  if (rawKeys.length === 0)
    return jsonError(
      c,
      400,
      'the upload holds no play files of a Spotify export (Streaming_History_*, endsong_*, StreamingHistory*)',
    )
  const message: ImportMessage = { v: 1, kind: 'import', runId, dt, accountId: account.data, rawKeys }
  await c.env.TRANSFORM_QUEUE.send(message)
  log.info('imports.accepted', { run_id: runId, files: files.size, records, raw_parts: rawKeys.length })
  return c.json(
    { run_id: runId, dt, account_id: account.data, files: files.size, records, raw_parts: rawKeys.length },
    202,
  )
})
