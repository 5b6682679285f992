/** @module Queue messages, versioned: what EXTRACT and TRANSFORM consumers accept. */
import { z } from 'zod'
import { AccountIdSchema } from './accounts.ts'
import { DtSchema, RunIdSchema, SpotifyIdSchema } from './ids.ts'
import { RAW_SOURCES } from './layout.ts'

/**
 * One unit of extraction work. Units of a user's data name the account whose token reads them
 * (`accountId`, a connected account of the token broker); catalog units carry the exact ids, so a retry
 * fetches the same set, and read with the app's token.
 */
export const ExtractUnitSchema = z.discriminatedUnion('type', [
  /** One account's playlists (`GET /me/playlists`): lists them, then plans one `playlist` unit each. */
  z.object({
    type: z.literal('my-playlists'),
    accountId: AccountIdSchema,
    /** The account's Spotify user id: tells its own playlists from followed ones without a `GET /me`. */
    userId: z.string().min(1),
  }),
  /** Playlist metadata (snapshot check) and its items from `offset`; continues in a new message past the call budget. */
  z.object({
    type: z.literal('playlist'),
    playlistId: SpotifyIdSchema,
    /** Whose token reads it (items of private and collaborative playlists need a member's); none: the app's. */
    accountId: AccountIdSchema.optional(),
    offset: z.int().nonnegative().default(0),
    /** Snapshot seen by the first part, so later parts of one playlist stay consistent. */
    snapshotId: z.string().optional(),
    part: z.int().nonnegative().default(0),
  }),
  z.object({
    type: z.literal('tracks'),
    ids: z.array(SpotifyIdSchema).min(1).max(500),
    batch: z.int().nonnegative(),
  }),
  z.object({
    type: z.literal('albums'),
    ids: z.array(SpotifyIdSchema).min(1).max(500),
    batch: z.int().nonnegative(),
  }),
  z.object({
    type: z.literal('artists'),
    ids: z.array(SpotifyIdSchema).min(1).max(500),
    batch: z.int().nonnegative(),
  }),
])
export type ExtractUnit = z.infer<typeof ExtractUnitSchema>

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
  source: z.enum(RAW_SOURCES),
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
})
export type ReplayMessage = z.infer<typeof ReplayMessageSchema>

export const TransformQueueMessageSchema = z.discriminatedUnion('kind', [
  TransformMessageSchema,
  FinalizeMessageSchema,
  ReplayMessageSchema,
])
export type TransformQueueMessage = z.infer<typeof TransformQueueMessageSchema>
