/** @module The lake's S3 client: aws4fetch (SigV4 over fetch), so the same code runs in workerd and Node. */
import { AwsClient } from 'aws4fetch'
import { isTransientStatus, S3Error } from './errors.ts'
import { gunzip, gzip } from './gzip.ts'
import type { LakeStore, LakeStoreOptions, ObjectInfo } from './types.ts'
import { tagBlocks, tagText } from './xml.ts'

/** RFC 3986 encoding of each key segment; `/` stays a separator. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/')
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A `LakeStore` over one bucket (see `LakeStore` for its errors). A Worker builds one from its bindings
 * with `lakeStoreFromEnv` instead.
 *
 * @param options `endpoint` (`https://s3.<region>.amazonaws.com`, or a local S3), `bucket`, the key pair;
 *   `retries` (default 3) per request, `timeoutMs` (default 30 000) per attempt
 * @throws TypeError when `endpoint` is not a URL
 */
export function createLakeStore({
  endpoint,
  bucket,
  accessKeyId,
  secretAccessKey,
  sessionToken,
  region = 'us-east-1',
  style = 'auto',
  fetch: fetchImpl = globalThis.fetch,
  retries = 3,
  timeoutMs = 30_000,
  sleep = defaultSleep,
}: LakeStoreOptions): LakeStore {
  const aws = new AwsClient({ accessKeyId, secretAccessKey, sessionToken, service: 's3', region, retries: 0 })
  const base = new URL(endpoint)
  const virtual = style === 'virtual' || (style === 'auto' && base.hostname.endsWith('amazonaws.com'))
  const origin = virtual ? `${base.protocol}//${bucket}.${base.host}` : `${base.origin}/${bucket}`

  const urlOf = (key: string, query = '') => `${origin}/${encodeKey(key)}${query}`

  async function send(method: string, url: string, init: RequestInit = {}, what = url): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined
      let failure: unknown
      try {
        const signed = await aws.sign(url, { ...init, method })
        res = await fetchImpl(signed, { signal: AbortSignal.timeout(timeoutMs) })
      } catch (cause) {
        failure = cause
      }
      if (res && (res.ok || res.status === 404 || res.status === 304 || !isTransientStatus(res.status)))
        return res
      if (attempt >= retries) {
        if (res) return res
        throw new S3Error(
          `S3 ${method} ${what} failed: ${networkReason(failure, base)}`,
          0,
          'NetworkError',
          true,
          {
            cause: failure,
          },
        )
      }
      await res?.body?.cancel()
      await sleep(100 * 4 ** attempt * (0.5 + Math.random() / 2))
    }
  }

  async function fail(res: Response, method: string, key: string): Promise<never> {
    const text = await res.text().catch(() => '')
    const code = tagText(text, 'Code')
    const message = tagText(text, 'Message') ?? res.statusText
    throw new S3Error(
      `S3 ${method} ${bucket}/${key} failed: ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
      res.status,
      code,
      isTransientStatus(res.status),
    )
  }

  async function put(
    key: string,
    body: Uint8Array | string,
    { contentType = 'application/octet-stream' } = {},
  ) {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
    const res = await send(
      'PUT',
      urlOf(key),
      { body: bytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': contentType } },
      key,
    )
    if (!res.ok) await fail(res, 'PUT', key)
    await res.body?.cancel()
  }

  /**
   * A 404 means "no such object" only when S3 says so: a missing bucket (`NoSuchBucket`, a wrong
   * S3_BUCKET) is an error, never an empty lake.
   */
  async function missing(res: Response, method: string, key: string): Promise<boolean> {
    if (res.status !== 404) return false
    const text = await res.text().catch(() => '')
    if (tagText(text, 'Code') !== 'NoSuchBucket') return true
    throw new S3Error(
      `S3 ${method} ${bucket}/${key} failed: 404 NoSuchBucket: ${tagText(text, 'Message') ?? 'the bucket does not exist'}`,
      404,
      'NoSuchBucket',
      false,
    )
  }

  async function get(key: string): Promise<Uint8Array | null> {
    const res = await send('GET', urlOf(key), {}, key)
    if (await missing(res, 'GET', key)) return null
    if (!res.ok) await fail(res, 'GET', key)
    return new Uint8Array(await res.arrayBuffer())
  }

  async function getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    const res = await send('GET', urlOf(key), { headers: { range: `bytes=${start}-${end - 1}` } }, key)
    if (!res.ok) await fail(res, 'GET', key)
    const bytes = new Uint8Array(await res.arrayBuffer())
    // A server that ignores Range answers 200 with the whole object.
    return res.status === 200 && bytes.length !== end - start ? bytes.slice(start, end) : bytes
  }

  async function head(key: string): Promise<ObjectInfo | null> {
    const res = await send('HEAD', urlOf(key), {}, key)
    if (res.status === 404) return null
    if (!res.ok) await fail(res, 'HEAD', key)
    return {
      key,
      size: Number(res.headers.get('content-length') ?? 0),
      etag: res.headers.get('etag') ?? undefined,
    }
  }

  async function* list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined
    do {
      const params = new URLSearchParams({ 'list-type': '2', prefix })
      if (token) params.set('continuation-token', token)
      const res = await send('GET', `${origin}/?${params}`, {}, `list ${prefix}`)
      if (!res.ok) await fail(res, 'LIST', prefix)
      const xml = await res.text()
      for (const block of tagBlocks(xml, 'Contents')) {
        yield {
          key: tagText(block, 'Key')!,
          size: Number(tagText(block, 'Size') ?? 0),
          etag: tagText(block, 'ETag'),
        }
      }
      token = tagText(xml, 'IsTruncated') === 'true' ? tagText(xml, 'NextContinuationToken') : undefined
    } while (token)
  }

  async function del(key: string) {
    const res = await send('DELETE', urlOf(key), {}, key)
    if (await missing(res, 'DELETE', key)) return
    if (!res.ok) await fail(res, 'DELETE', key)
    await res.body?.cancel()
  }

  return {
    bucket,
    put,
    get,
    getRange,
    head,
    list,
    delete: del,
    async listKeys(prefix) {
      const keys: string[] = []
      for await (const o of list(prefix)) keys.push(o.key)
      return keys
    },
    async deleteMany(keys, { concurrency = 8 } = {}) {
      const queue = [...keys]
      const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) await del(key)
      })
      await Promise.all(workers)
    },
    async getJson<T>(key: string) {
      const bytes = await get(key)
      return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : null
    },
    async putJson(key, value) {
      await put(key, JSON.stringify(value, null, 2), { contentType: 'application/json' })
    },
    async getGzipJson<T>(key: string) {
      const bytes = await get(key)
      return bytes ? (JSON.parse(new TextDecoder().decode(await gunzip(bytes))) as T) : null
    },
    async putGzipJson(key, value) {
      // No Content-Encoding header: fetch clients would inflate it on GET and hand back JSON, not gzip.
      const bytes = await gzip(JSON.stringify(value))
      await put(key, bytes, { contentType: 'application/gzip' })
      return bytes.length
    },
    async asyncBuffer(key) {
      const info = await head(key)
      if (!info) throw new S3Error(`S3 object not found: ${bucket}/${key}`, 404, 'NoSuchKey', false)
      return {
        byteLength: info.size,
        slice: async (start, end = info.size) =>
          (await getRange(key, start, end)).slice().buffer as ArrayBuffer,
      }
    },
  }
}

/**
 * Why a request never got an answer, for a person: fetch's own message is only "fetch failed" (Node's
 * undici puts the reason, e.g. ECONNREFUSED or ENOTFOUND, in `cause`), so the cause's code and the
 * endpoint are named too.
 */
function networkReason(failure: unknown, endpoint: URL): string {
  const error = failure as (Error & { cause?: { code?: unknown; message?: unknown } }) | undefined
  const message = error?.message ?? String(failure)
  if (error?.name === 'TimeoutError') return `no answer from ${endpoint.origin} (${message})`
  const cause = error?.cause
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const detail = code ?? (typeof cause?.message === 'string' ? cause.message : undefined)
  return `${message}${detail ? ` (${detail})` : ''}: is ${endpoint.origin} reachable?`
}
