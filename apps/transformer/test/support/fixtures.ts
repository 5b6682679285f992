/** @module Test support: recorded fixtures, raw envelopes built around them, and Parquet read-back in hyparquet and DuckDB. */
import { DuckDBInstance } from '@duckdb/node-api'
import { gzip } from '@spotify-lake/lake-store'
import type { ExtractUnit, RawEnvelope, RawFolder } from '@spotify-lake/schemas'
import { recordedNames as fixtureNames, recorded, recordedText } from '@spotify-lake/spotify-fixtures'
import { parquetReadObjects } from 'hyparquet'
import { PARQUET_DECOMPRESSORS } from '../../src/load/compressors.ts'

export const RUN_ID = '20261121T010203456Z-abc123'
export const DT = '2026-11-21'
export const FETCHED_AT = '2026-11-21T01:02:05.000Z'

/**
 * The recorded responses of the endpoints the extractor calls (the golden inputs); the library, top-item
 * and listing responses are no raw object's body on their own.
 */
const EXTRACTED_KINDS = [
  'album',
  'artist',
  'playlist',
  'playlist-fields',
  'playlist-items',
  'several-albums',
  'several-artists',
  'several-tracks',
  'track',
]

export const recordedNames = (): string[] => fixtureNames({ kinds: EXTRACTED_KINDS })
export { recorded, recordedText }

export interface ResponseSpec {
  endpoint: string
  body: unknown
  status?: number
  params?: Record<string, string>
  fetchedAt?: string
}

/** A raw envelope as the extractor writes it: bodies are the response text, byte for byte. */
export function envelope({
  source,
  unit,
  responses,
  runId = RUN_ID,
  dt = DT,
}: {
  source: RawFolder
  unit: ExtractUnit
  responses: ResponseSpec[]
  runId?: string
  dt?: string
}): RawEnvelope {
  return {
    v: 1,
    runId,
    dt,
    source,
    unit,
    apiMode: 'development',
    extractedAt: FETCHED_AT,
    responses: responses.map(({ endpoint, body, status = 200, params = {}, fetchedAt = FETCHED_AT }) => ({
      endpoint,
      url: `https://api.spotify.com/v1${endpoint}`,
      params,
      status,
      fetchedAt,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })),
  }
}

export const gzipJson = (value: unknown) => gzip(JSON.stringify(value))

export function playlistUnit(playlistId: string, part = 0): ExtractUnit {
  return { type: 'playlist', playlistId, offset: 0, part }
}

export async function readParquet(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  return parquetReadObjects({ file, compressors: PARQUET_DECOMPRESSORS })
}

export interface DuckDbRead {
  types: Record<string, string>
  rows: Record<string, unknown>[]
}

/**
 * DuckDB's view of a Parquet file: column types as DuckDB names them, and rows as JSON values.
 * Columns in `epochMs` come back as epoch milliseconds, so instants compare without parsing text.
 */
export async function duckDbRead(
  path: string,
  { orderBy, epochMs = [] }: { orderBy?: string; epochMs?: string[] } = {},
): Promise<DuckDbRead> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const source = `read_parquet('${path.replaceAll("'", "''")}')`
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)
    const types = Object.fromEntries(
      described.getRowObjectsJson().map((r) => [String(r.column_name), String(r.column_type)]),
    )
    const replace = epochMs.length
      ? ` REPLACE (${epochMs.map((c) => `epoch_ms("${c}") AS "${c}"`).join(', ')})`
      : ''
    const result = await connection.runAndReadAll(
      `SELECT *${replace} FROM ${source}${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
    )
    return { types, rows: result.getRowObjectsJson() }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
