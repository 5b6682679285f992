/** @module The per-object collector: every record seen lands as exactly one row or one reject of its table. */
import {
  describeIssue,
  LAKE_TABLE_NAMES,
  type LakeTableName,
  lakeTable,
  primaryKeyOf,
} from '@spotify-lake/schemas'
import type { RejectReason, RejectRecord } from './rejects.ts'
import type { Validation } from './validate.ts'

/** A validated row (the output of the table's row schema: Dates for timestamps). */
export type Row = Record<string, unknown>

export interface TableOutput {
  rows: Row[]
  rejects: RejectRecord[]
  /** Rows dropped because a later row of this object has the same primary key (the same track in many items). */
  duplicates: number
  /** Records of this table found in raw; always `rows.length + duplicates + rejects.length`. */
  seen: number
}

export type TransformOutput = Record<LakeTableName, TableOutput>

/** Where a record was found, for its reject line. */
export interface RecordOrigin {
  source: string
  path: string
}

export interface Collector {
  /**
   * A row built from a validated record. The fast path takes it as built (its record schema makes it
   * a valid row, which the property tests prove); `zod` validation checks it with the table's row
   * schema too, and a failure is an `invalid_row` reject.
   */
  accept(table: LakeTableName, row: Row, origin: RecordOrigin): void
  reject(
    table: LakeTableName,
    reason: RejectReason,
    detail: string,
    origin: RecordOrigin & { record: unknown },
  ): void
  output(): TransformOutput
}

/** One table's output with what `accept` needs at hand (looked up once, not per row). */
interface TableState {
  out: TableOutput
  /**
   * Row index by primary key: a 10,000-item playlist repeats a track in every item that holds it.
   * A single key indexes by its value; a composite key (two columns) by the first column's value, then
   * the second's (`playlist_id`, then `position`: one playlist per object, numbers as keys), so no
   * key string is built per row.
   */
  index: Map<unknown, number>
  composite: Map<unknown, Map<unknown, number>>
  /** Rows accepted but not yet looked up in the index (see `DEDUP_BATCH`). */
  pending: Row[]
  /**
   * The last single key looked up and its row index: an album's artist is often its track's too, and
   * comes right after it; comparing two fresh strings costs less than a lookup in a large index.
   */
  lastKey: unknown
  lastAt: number
  /** The single key column, or null for a composite key. */
  key: string | null
  /** The first key column of a composite key, and the second (or, past two, the rest: `primaryKeyOf`). */
  first: string
  second: string
  rest: readonly string[] | null
  table: LakeTableName
}

/**
 * Rows are looked up in the primary-key index a batch at a time, not one by one as they come. Timed
 * inside normalising, the lookups (one per record, about 56,000 for the bench message) cost about four
 * times what the same lookups cost in a loop of their own: between two rows of a table the normaliser
 * walks a whole playlist entry, and the index (hash buckets, key strings) leaves the CPU caches. In
 * batches, normalising took about 5% less in Node; the batch adds next to nothing to the heap.
 */
const DEDUP_BATCH = 512

/** Looks up the pending rows of a table in order: a new key is a row, a known one a duplicate. */
function deduplicate(state: TableState): void {
  const { out, pending } = state
  const { rows } = out
  for (let i = 0; i < pending.length; i++) {
    const row = pending[i]!
    let index = state.index
    let key = row[state.first]
    if (state.key === null) {
      // Composite: most objects hold one playlist, so the first level is one entry.
      const first = key
      index = state.composite.get(first)!
      if (index === undefined) {
        index = new Map()
        state.composite.set(first, index)
      }
      key = state.rest === null ? row[state.second] : primaryKeyOf(row, state.rest)
    }
    const at = state.key !== null && key === state.lastKey ? state.lastAt : index.get(key)
    if (at === undefined) {
      state.lastKey = key
      state.lastAt = rows.length
      index.set(key, rows.length)
      rows.push(row)
      continue
    }
    state.lastKey = key
    state.lastAt = at
    // Same rule as compaction: the later fetch wins, and on a tie the later occurrence.
    out.duplicates++
    const kept = rows[at]!
    if (
      row._extracted_at === kept._extracted_at ||
      (row._extracted_at as Date).getTime() >= (kept._extracted_at as Date).getTime()
    )
      rows[at] = row
  }
  pending.length = 0
}

export function createCollector({
  runId,
  validation = 'fast',
}: {
  runId: string
  validation?: Validation
}): Collector {
  const states = Object.fromEntries(
    LAKE_TABLE_NAMES.map((table): [LakeTableName, TableState] => {
      const { primaryKey } = lakeTable(table)
      return [
        table,
        {
          out: { rows: [], rejects: [], duplicates: 0, seen: 0 },
          index: new Map(),
          composite: new Map(),
          pending: [],
          lastKey: undefined,
          lastAt: -1,
          key: primaryKey.length === 1 ? primaryKey[0]! : null,
          first: primaryKey[0]!,
          second: primaryKey[1] ?? '',
          rest: primaryKey.length > 2 ? primaryKey.slice(1) : null,
          table,
        },
      ]
    }),
  ) as Record<LakeTableName, TableState>

  function reject(
    table: LakeTableName,
    reason: RejectReason,
    detail: string,
    { source, path, record }: RecordOrigin & { record: unknown },
  ) {
    const { out } = states[table]
    out.seen++
    out.rejects.push({ table, reason, detail, source, path, runId, record })
  }

  return {
    accept(table, row, origin) {
      const state = states[table]
      if (validation === 'zod') {
        const parsed = lakeTable(table).rowSchema.safeParse(row)
        if (!parsed.success) {
          reject(table, 'invalid_row', describeIssue(parsed.error, row), { ...origin, record: row })
          return
        }
      }
      state.out.seen++
      state.pending.push(row)
      if (state.pending.length === DEDUP_BATCH) deduplicate(state)
    },
    reject,
    output: () => {
      for (const table of LAKE_TABLE_NAMES) deduplicate(states[table])
      return Object.fromEntries(
        LAKE_TABLE_NAMES.map((table) => [table, states[table].out]),
      ) as TransformOutput
    },
  }
}
