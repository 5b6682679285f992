/**
 * @module What a source declares (dlt's source/resource model): its resources (the kinds of extraction
 * unit it plans, each with its schema and names), the raw folders they write, the response kinds those
 * folders may hold and the tables they feed. Pure data: the Workers and the CLI read it without I/O.
 */
import type { z } from 'zod'
import type { LakeTableName } from '../lake/registry.ts'

/** A Spotify response a raw folder may hold, told by the endpoint the extractor recorded. */
export interface ResponseKindDefinition<K extends string = string> {
  kind: K
  /** Path of the endpoint (template or concrete, with or without `/v1`); the registry tries kinds in order. */
  endpoint: RegExp
  /** Only when the query says so (e.g. `fields=snapshot_id`); tried before a kind of the same path without. */
  params?: (params: Record<string, string>) => boolean
  /** The table a whole-response reject of this kind (HTTP error, malformed body) is filed under. */
  table: LakeTableName
}

/** A folder of the raw zone, `raw/<folder>/dt=<dt>/<run_id>/<name>.json.gz`. */
export interface RawFolderDefinition<F extends string = string, K extends string = string> {
  name: F
  /** The response kinds its objects may hold; any other is an `unexpected_payload` reject. */
  kinds: readonly K[]
  /** Every table its objects can add rows to (a pending unit of this folder leaves them incomplete). */
  tables: readonly LakeTableName[]
  /**
   * The tables whose entities its objects describe in full: at compaction, their rows from this folder
   * beat copies embedded elsewhere (a playlist item's album). Each table has at most one such folder.
   */
  owns: readonly LakeTableName[]
  /** Where an object-level reject (bad gzip, bad envelope) of this folder is filed. */
  rejectTable: LakeTableName
}

/**
 * A resource: one kind of extraction unit (the unit's `type`). `key` names it in the run manifest
 * (`<type>:...`, parsed back by `unitTypeOfKey`), `rawName` names its raw object (a retry overwrites).
 */
export interface ResourceDefinition<
  U extends { type: string } = { type: string },
  F extends string = string,
> {
  type: U['type']
  folder: F
  key: (unit: U) => string
  rawName: (unit: U) => string
}

/** A source: what a run extracts from one part of the Spotify API, and where it lands. */
export interface SourceDefinition<
  N extends string = string,
  F extends string = string,
  K extends string = string,
> {
  name: N
  /** The zod schemas of its units, discriminated by `type` (the queue message's and raw envelope's `unit`). */
  unitSchemas: readonly z.ZodType<{ type: string }>[]
  // biome-ignore lint/suspicious/noExplicitAny: each resource takes its own unit type; the registry dispatches by `type`
  resources: readonly ResourceDefinition<any, F>[]
  folders: readonly RawFolderDefinition<F, K>[]
  responseKinds: readonly ResponseKindDefinition<K>[]
}

/** Identity with the types pinned, so a source's names stay literal unions. */
export function defineSource<N extends string, F extends string, K extends string>(
  source: SourceDefinition<N, F, K>,
): SourceDefinition<N, F, K> {
  return source
}

/** `<type>-b<batch, 5 digits>` style suffix: zero-padded so object names sort in plan order. */
export function padded(n: number, digits: number): string {
  return String(n).padStart(digits, '0')
}
