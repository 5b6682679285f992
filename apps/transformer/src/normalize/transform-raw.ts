/** @module One raw object (or a bare Spotify response) in, rows and rejects of every table out: pure, no I/O. */
import { gunzip } from '@spotify-lake/lake-store'
import {
  type Dt,
  describeIssue,
  kindsOfFolder,
  lakeKeys,
  type RawEnvelope,
  RawEnvelopeSchema,
  type RawFolder,
  type RunId,
  rejectTableOfFolder,
  rejectTableOfKind,
} from '@spotify-lake/schemas'
import { kindOfBody, kindOfEndpoint, type ResponseKind } from './classify.ts'
import { createCollector, type TransformOutput } from './collector.ts'
import { collectRemovals, normalizeResponse } from './normalize.ts'
import { savedContextOf } from './saved-rows.ts'
import type { Validation } from './validate.ts'

/** What the queue message says the object is; the object must agree. */
export interface ExpectedRaw {
  runId: RunId
  dt: Dt
  /** The raw folder (`source` in the message and the envelope). */
  source: RawFolder
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
  /**
   * `fast` (default): generated guards, zod only for a failing record's message. `zod`: zod alone, rows
   * checked against their row schemas too; the reference the property tests hold the fast path to.
   */
  validation?: Validation
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

/**
 * Turns one raw object into the rows and rejects of every lake table: every record it holds ends as
 * exactly one row or one reject (a repeat of a row's primary key within the object counts as a duplicate).
 *
 * @param options.bytes the object as stored: a gzip'd raw envelope (`raw/<source>/dt=.../<unit>.json.gz`),
 *   or offline, plain JSON of an envelope or of a bare Spotify response
 * @param options.name the raw key (or file name): reject records point at it as their `source`
 * @param options.expect the queue message's `{ runId, dt, source }`: then only an envelope that agrees is
 *   read, and a bare response is refused
 * @param options.runId, options.extractedAt lineage for a bare response (default `'offline'`, now)
 * @param options.validation `'fast'` (generated guards) or `'zod'` (the reference)
 * @returns `output`: per table its rows, rejects and `seen`/`duplicates` counts; `input`: `'envelope'` or
 *   `'response'`; `kinds`: the response kinds found, in order
 * @throws Error only offline, for JSON that is neither an envelope nor a known Spotify response. A bad
 *   object never throws otherwise: malformed gzip or JSON, an invalid envelope or one that does not match
 *   `expect` becomes one object-level reject (`malformed_gzip`, `malformed_json`, `invalid_envelope`,
 *   `message_mismatch`) in the table of the message's source.
 * @example
 * const { output } = await transformRaw({ bytes, name: rawKey, expect: { runId, dt, source } })
 */
export async function transformRaw({
  bytes,
  name,
  expect,
  runId = expect?.runId ?? 'offline',
  extractedAt = new Date().toISOString(),
  validation = 'fast',
}: TransformRawOptions): Promise<TransformRawResult> {
  const collector = createCollector({ runId, validation })
  const result = (kinds: ResponseKind[] = [], input: 'envelope' | 'response' = 'envelope') => ({
    output: collector.output(),
    input,
    kinds,
  })
  // Object-level failures are filed under the reject table of the raw folder the message names.
  const objectTable = rejectTableOfFolder(expect?.source ?? 'playlists')
  const at = { source: name, path: '$' }

  const decoded = await decode(bytes, name)
  if (!decoded.ok) {
    collector.reject(objectTable, decoded.reason, decoded.detail, {
      ...at,
      record: objectRecord(name, bytes),
    })
    return result()
  }
  const json = decoded.json

  if (!expect && !isEnvelopeLike(json)) {
    const kind = kindOfBody(json)
    if (!kind) {
      throw new Error(`${name} is neither a raw envelope nor a Spotify response this tool knows`)
    }
    normalizeResponse(kind, json, {
      collector,
      validation,
      from: { runId, extractedAt: new Date(extractedAt) },
      source: name,
      path: '$',
      playlist: { id: null, snapshotId: null },
    })
    return result([kind], 'response')
  }

  const issue = envelopeIssue(json)
  if (issue) {
    collector.reject(objectTable, 'invalid_envelope', issue, { ...at, record: objectRecord(name, bytes) })
    return result()
  }
  // The envelope as parsed, not zod's copy of it: each body is cleared on the object that holds it
  // once parsed, so the texts go one by one (the copy would keep every one of them to the end).
  const envelope = json as RawEnvelope
  const mismatch = expect && mismatchOf(envelope, expect, name)
  if (mismatch) {
    collector.reject(objectTable, 'message_mismatch', mismatch, { ...at, record: objectRecord(name, bytes) })
    return result()
  }
  return result(collectEnvelope(envelope, collector, name, validation))
}

/** Why `json` is no raw envelope, or null; zod's parsed copy dies here (the schema has no transforms). */
function envelopeIssue(json: unknown): string | null {
  const parsed = RawEnvelopeSchema.safeParse(json)
  return parsed.success ? null : describeIssue(parsed.error, json)
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

/**
 * What an error body says, in one short line: Spotify's `{error: {message}}` (or the token endpoint's
 * `error_description`), else the text of a plain or HTML body (a proxy's 502 page).
 */
export function errorCause(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; error_description?: unknown }
    const error = json?.error
    if (typeof error === 'object' && typeof error?.message === 'string') return error.message
    if (typeof json?.error_description === 'string') return json.error_description
    if (typeof error === 'string') return error
  } catch {}
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
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
  validation: Validation,
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
  const saved = savedContextOf(unit)
  envelope.responses.forEach((response, i) => {
    const path = `responses[${i}]`
    const hinted = kindOfEndpoint(response.endpoint, response.params)
    const fallbackTable = hinted ? rejectTableOfKind(hinted) : rejectTableOfFolder(envelope.source)
    const record = { endpoint: response.endpoint, url: response.url, status: response.status }
    if (response.status < 200 || response.status > 299) {
      const cause = errorCause(response.body)
      const detail = `HTTP ${response.status} from ${response.endpoint}${cause ? `: ${cause}` : ''}`
      collector.reject(fallbackTable, 'http_error', detail, {
        source: name,
        path,
        record: { ...record, body: response.body.slice(0, 2000) },
      })
      return
    }
    if (response.body === '') {
      collector.reject(fallbackTable, 'malformed_json', `empty body (HTTP ${response.status})`, {
        source: name,
        path,
        record,
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
    if (!kind || !kindsOfFolder(envelope.source).includes(kind)) {
      collector.reject(
        fallbackTable,
        'unexpected_payload',
        `a ${kind ?? 'unrecognised'} response in a ${envelope.source} object`,
        { source: name, path, record: { ...record, body } },
      )
      return
    }
    kinds.push(kind)
    normalizeResponse(kind, body, {
      collector,
      validation,
      from: { runId: envelope.runId, extractedAt: new Date(response.fetchedAt) },
      source: name,
      path,
      playlist,
      requestedIds: response.params.ids?.split(','),
      account,
      playsAccountId: unit.type === 'recently-played' ? unit.accountId : null,
      snapshotAccountId:
        unit.type === 'top-items' || unit.type === 'followed-artists' ? unit.accountId : null,
      // What was asked for: the request's time range (Spotify's default, medium_term, is what the unit names when absent).
      timeRange: unit.type === 'top-items' ? (response.params.time_range ?? unit.timeRange) : null,
      saved,
    })
  })
  // Holdings the extractor found gone are in its unit, not in a response: their rows come from there.
  if (saved && 'removed' in unit && unit.removed && unit.removed.length > 0) {
    const last = envelope.responses.at(-1)
    const extractedAt = new Date(last ? last.fetchedAt : unit.removed[0]!.removed_at)
    collectRemovals(unit.removed, saved, {
      collector,
      source: name,
      from: { runId: envelope.runId, extractedAt },
    })
  }
  return kinds
}
