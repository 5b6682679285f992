/** @module The raw zone's object format: request metadata plus every response body exactly as received. */
import { z } from 'zod'
import { ExtractUnitSchema, RAW_FOLDERS } from '../sources/registry.ts'
import { DtSchema, RunIdSchema } from './ids.ts'

/**
 * The unit a raw object was fetched for. Objects written before accounts were part of the plan hold a
 * `my-playlists` unit without one: they stay readable (replay), and their listing names no account.
 */
export const RawUnitSchema = z.union([ExtractUnitSchema, z.strictObject({ type: z.literal('my-playlists') })])
export type RawUnit = z.infer<typeof RawUnitSchema>

export const API_MODES = ['development', 'extended'] as const
export const ApiModeSchema = z.enum(API_MODES)
export type ApiMode = z.infer<typeof ApiModeSchema>

/** One HTTP exchange with Spotify. No headers are kept: they would carry the bearer token. */
export const RawResponseSchema = z.object({
  /** Path template, e.g. `/playlists/{id}/items`. */
  endpoint: z.string(),
  /** Full URL without credentials (Spotify puts none in URLs). */
  url: z.url(),
  params: z.record(z.string(), z.string()),
  status: z.int(),
  fetchedAt: z.iso.datetime(),
  /** The response body text, byte for byte (JSON is parsed only by the transformer). */
  body: z.string(),
})
export type RawResponse = z.infer<typeof RawResponseSchema>

export const RawEnvelopeSchema = z.object({
  v: z.literal(1),
  runId: RunIdSchema,
  dt: DtSchema,
  /** The raw folder the object is in (named `source` in objects written since v1). */
  source: z.enum(RAW_FOLDERS),
  unit: RawUnitSchema,
  apiMode: ApiModeSchema,
  extractedAt: z.iso.datetime(),
  responses: z.array(RawResponseSchema),
})
export type RawEnvelope = z.infer<typeof RawEnvelopeSchema>
