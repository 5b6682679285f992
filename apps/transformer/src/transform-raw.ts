/** @module One raw object (or a bare Spotify response) in, rows and rejects of every table out: pure, no I/O. */
import { gunzip } from '@spotify-lake/lake-store'
import {
  type Dt,
  lakeKeys,
  type RawEnvelope,
  RawEnvelopeSchema,
  type RawSource,
  type RunId,
} from '@spotify-lake/schemas'
import {
  KINDS_BY_SOURCE,
  kindOfBody,
  kindOfEndpoint,
  type ResponseKind,
  TABLE_OF_KIND,
  TABLE_OF_SOURCE,
} from './classify.ts'
import { createCollector, firstIssue, type TransformOutput } from './collector.ts'
import { normaliseResponse } from './normalise.ts'

/** What the queue message says the object is; the object must agree. */
export interface ExpectedRaw {
  runId: RunId
  dt: Dt
  source: RawSource
}

export interface TransformRawOptions {
  bytes: Uint8Array
  /** The raw object key, or the input file's name offline. Reject lines point at it. */
  name: string
  /** Set for queue messages: only a matching raw envelope is accepted. */
  expect?: ExpectedRaw
  /** Lineage for bare responses, which carry none. */
  runId?: string
  extractedAt?: string
}

export interface TransformRawResult {
  output: TransformOutput
  /** `envelope` for raw objects, `response` for a bare Spotify response (offline debugging). */
  input: 'envelope' | 'response'
  /** Response kinds found, in order (for summaries and tests). */
  kinds: ResponseKind[]
}

const GZIP_MAGIC = [0x1f, 0x8b]

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]
}

function isEnvelopeLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'responses' in value && 'v' in value
}

/** What the object-level reject records: the object's identity, never its (possibly huge) bytes. */
function objectRecord(name: string, bytes: Uint8Array) {
  return { object: name, bytes: bytes.length }
}

export async function transformRaw({
  bytes,
  name,
  expect,
  runId = expect?.runId ?? 'offline',
  extractedAt = new Date().toISOString(),
}: TransformRawOptions): Promise<TransformRawResult> {
  const collector = createCollector({ runId })
  const result = (kinds: ResponseKind[] = [], input: 'envelope' | 'response' = 'envelope') => ({
    output: collector.output(),
    input,
    kinds,
  })
  // Object-level failures are filed under the table of the source the message names.
  const objectTable = TABLE_OF_SOURCE[expect?.source ?? 'playlists']
  const at = { source: name, path: '$' }

  const decoded = await decode(bytes, name)
  if (!decoded.ok) {
    collector.reject(objectTable, decoded.reason, decoded.detail, {
      ...at,
      record: objectRecord(name, bytes),
    })
    return result()
  }
  // Held in a `let` so the parsed tree can be dropped once the envelope is validated (memory).
  let json: unknown = decoded.json

  if (!expect && !isEnvelopeLike(json)) {
    const kind = kindOfBody(json)
    if (!kind) {
      throw new Error(`${name} is neither a raw envelope nor a Spotify response this tool knows`)
    }
    normaliseResponse(kind, json, {
      collector,
      from: { runId, extractedAt },
      source: name,
      path: '$',
      playlist: { id: null, snapshotId: null },
    })
    return result([kind], 'response')
  }

  const parsed = RawEnvelopeSchema.safeParse(json)
  json = null
  if (!parsed.success) {
    collector.reject(objectTable, 'invalid_envelope', firstIssue(parsed.error), {
      ...at,
      record: objectRecord(name, bytes),
    })
    return result()
  }
  const envelope = parsed.data
  const mismatch = expect && mismatchOf(envelope, expect, name)
  if (mismatch) {
    collector.reject(objectTable, 'message_mismatch', mismatch, { ...at, record: objectRecord(name, bytes) })
    return result()
  }
  return result(collectEnvelope(envelope, collector, name))
}

type Decoded =
  | { ok: true; json: unknown }
  | { ok: false; reason: 'malformed_gzip' | 'malformed_json'; detail: string }

/** Bytes to JSON; the inflated text lives only inside this call, so it is garbage before rows are built. */
async function decode(bytes: Uint8Array, name: string): Promise<Decoded> {
  let text: string
  if (isGzip(bytes)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(await gunzip(bytes))
    } catch (cause) {
      return { ok: false, reason: 'malformed_gzip', detail: (cause as Error).message }
    }
  } else if (name.endsWith('.gz')) {
    return { ok: false, reason: 'malformed_gzip', detail: 'not gzip data (bad magic number)' }
  } else {
    text = new TextDecoder().decode(bytes)
  }
  try {
    return { ok: true, json: JSON.parse(text) }
  } catch (cause) {
    return { ok: false, reason: 'malformed_json', detail: (cause as Error).message }
  }
}

/** Why an envelope is not the object the message points at, or null when it is. */
function mismatchOf(envelope: RawEnvelope, expect: ExpectedRaw, name: string): string | null {
  for (const field of ['runId', 'dt', 'source'] as const) {
    if (envelope[field] !== expect[field]) {
      return `message says ${field}=${expect[field]}, object says ${envelope[field]}`
    }
  }
  if (!name.startsWith(lakeKeys.rawRunPrefix(expect))) {
    return `object key ${name} is outside ${lakeKeys.rawRunPrefix(expect)}`
  }
  return null
}

function collectEnvelope(
  envelope: RawEnvelope,
  collector: ReturnType<typeof createCollector>,
  name: string,
): ResponseKind[] {
  const kinds: ResponseKind[] = []
  const unit = envelope.unit
  const playlist =
    unit.type === 'playlist'
      ? { id: unit.playlistId, snapshotId: unit.snapshotId ?? null }
      : { id: null, snapshotId: null }
  const account =
    unit.type === 'my-playlists' && 'accountId' in unit
      ? { accountId: unit.accountId, userId: unit.userId }
      : null
  envelope.responses.forEach((response, i) => {
    const path = `responses[${i}]`
    const hinted = kindOfEndpoint(response.endpoint, response.params)
    const fallbackTable = hinted ? TABLE_OF_KIND[hinted] : TABLE_OF_SOURCE[envelope.source]
    const record = { endpoint: response.endpoint, url: response.url, status: response.status }
    if (response.status < 200 || response.status > 299) {
      collector.reject(fallbackTable, 'http_error', `HTTP ${response.status} from ${response.endpoint}`, {
        source: name,
        path,
        record: { ...record, body: response.body.slice(0, 2000) },
      })
      return
    }
    let body: unknown
    try {
      body = JSON.parse(response.body)
      // The text is no longer needed: free it before the rows of this response are built.
      response.body = ''
    } catch (cause) {
      collector.reject(fallbackTable, 'malformed_json', (cause as Error).message, {
        source: name,
        path,
        record,
      })
      return
    }
    const kind = hinted ?? kindOfBody(body)
    if (!kind || !KINDS_BY_SOURCE[envelope.source].includes(kind)) {
      collector.reject(
        fallbackTable,
        'unexpected_payload',
        `a ${kind ?? 'unrecognised'} response in a ${envelope.source} object`,
        { source: name, path, record: { ...record, body } },
      )
      return
    }
    kinds.push(kind)
    normaliseResponse(kind, body, {
      collector,
      from: { runId: envelope.runId, extractedAt: response.fetchedAt },
      source: name,
      path,
      playlist,
      requestedIds: response.params.ids?.split(','),
      account,
    })
  })
  return kinds
}
