/** @module Queue messages, versioned: what EXTRACT and TRANSFORM consumers accept (units: see `sources/`). */
import { z } from 'zod'
import { ExtractUnitSchema, RAW_FOLDERS } from '../sources/registry.ts'
import { AccountIdSchema } from './accounts.ts'
import { DtSchema, RunIdSchema } from './ids.ts'

export const ExtractMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('extract'),
  runId: RunIdSchema,
  dt: DtSchema,
  /** Skip the unchanged-snapshot shortcut. */
  force: z.boolean().default(false),
  unit: ExtractUnitSchema,
})
export type ExtractMessage = z.infer<typeof ExtractMessageSchema>

/** Transform one raw object into staged rows and rejects. */
export const TransformMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('transform'),
  runId: RunIdSchema,
  dt: DtSchema,
  /** The raw folder of `rawKey` (named `source` on the wire since v1). */
  source: z.enum(RAW_FOLDERS),
  rawKey: z.string().startsWith('raw/'),
})
export type TransformMessage = z.infer<typeof TransformMessageSchema>

/** All units of a run are extracted and transformed: compact staging, write rejects, close the manifest. */
export const FinalizeMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('finalize'),
  runId: RunIdSchema,
  dt: DtSchema,
})
export type FinalizeMessage = z.infer<typeof FinalizeMessageSchema>

/** Rebuild the tables of one run (or of every run of a dt) from raw. */
export const ReplayMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('replay'),
  dt: DtSchema,
  runId: RunIdSchema.optional(),
  /** Rebuild even a run that may still be extracting (see the transformer's `RunStillOpenError`). */
  force: z.boolean().optional(),
})
export type ReplayMessage = z.infer<typeof ReplayMessageSchema>

/** An uploaded privacy export (POST /imports) is in raw, cut in parts: import them into `plays`. */
export const ImportMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('import'),
  runId: RunIdSchema,
  dt: DtSchema,
  accountId: AccountIdSchema,
  /** The raw parts in upload order (`lakeKeys.rawImport`). */
  rawKeys: z.array(z.string().startsWith('raw/privacy_export/')).min(1),
})
export type ImportMessage = z.infer<typeof ImportMessageSchema>

export const TransformQueueMessageSchema = z.discriminatedUnion('kind', [
  TransformMessageSchema,
  FinalizeMessageSchema,
  ReplayMessageSchema,
  ImportMessageSchema,
])
export type TransformQueueMessage = z.infer<typeof TransformQueueMessageSchema>
