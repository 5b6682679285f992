/** @module The raw zone: one gzip JSON envelope per message, the responses exactly as received. */
import type { LakeStore } from '@spotify-lake/lake-store'
import {
  type ApiMode,
  type Dt,
  type ExtractUnit,
  lakeKeys,
  type RawEnvelope,
  RawEnvelopeSchema,
  type RawFolder,
  type RunId,
  unitFolder,
  unitRawName,
} from '@spotify-lake/schemas'
import type { SpotifyExchange } from '@spotify-lake/spotify-client'

export interface WriteRawOptions {
  store: LakeStore
  runId: RunId
  dt: Dt
  unit: ExtractUnit
  apiMode: ApiMode
  responses: readonly SpotifyExchange[]
  now?: Date
}

/**
 * Writes the envelope at its deterministic key (a retried message overwrites its own object) and
 * resolves only once S3 has acknowledged it: the caller acks the message after this, never before.
 */
export async function writeRawObject({
  store,
  runId,
  dt,
  unit,
  apiMode,
  responses,
  now = new Date(),
}: WriteRawOptions): Promise<{ rawKey: string; source: RawFolder }> {
  const source = unitFolder(unit)
  const rawKey = lakeKeys.raw({ source, dt, runId, unit: unitRawName(unit) })
  // Only the fields the lake keeps: the client's extra `mode` is in the envelope's `apiMode`.
  const envelope: RawEnvelope = RawEnvelopeSchema.parse({
    v: 1,
    runId,
    dt,
    source,
    unit,
    apiMode,
    extractedAt: now.toISOString(),
    responses: responses.map(({ endpoint, url, params, status, fetchedAt, body }) => ({
      endpoint,
      url,
      params,
      status,
      fetchedAt,
      body,
    })),
  })
  await store.putGzipJson(rawKey, envelope)
  return { rawKey, source }
}
