/** @module `defineTable`: one declaration per lake table yields its zod row schema and its neutral column list. */
import { z } from 'zod'
import { col, type LakeColumn, type LakeColumnSpec } from './column-types.ts'

/** The partition column: it lives in the object key (`tables/<t>/dt=YYYY-MM-DD/`), never inside a file. */
export const PARTITION_KEY = 'dt' as const
export const PARTITION_KEY_DESCRIPTION = 'Extraction date (UTC) of the run that wrote the file, YYYY-MM-DD.'

/** Lineage columns appended to every table, so no declaration can forget them. */
const lineageColumns = {
  _run_id: col.string({ description: 'Id of the run that extracted this row (lineage).' }),
  _extracted_at: col.timestamp({ description: 'When the source payload was fetched from Spotify (UTC).' }),
}
export const LINEAGE_COLUMN_NAMES = Object.keys(lineageColumns) as (keyof typeof lineageColumns)[]

type ColumnSpecs = Record<string, LakeColumnSpec>
type WithLineage<C extends ColumnSpecs> = C & typeof lineageColumns
type RowShape<C extends ColumnSpecs> = { [K in keyof C]: C[K]['schema'] }

/** What every derivation needs of a table: no zod, so any table (also a test's) can be mapped. */
export interface LakeTableShape {
  name: string
  description: string
  /** Declared columns then `_run_id`, `_extracted_at`; `dt` is not among them. */
  columns: readonly LakeColumn[]
  primaryKey: readonly string[]
  partitionKey: typeof PARTITION_KEY
}

export interface LakeTable<N extends string = string, C extends ColumnSpecs = ColumnSpecs>
  extends LakeTableShape {
  name: N
  primaryKey: readonly (keyof C & string)[]
  /** Strict: unknown keys are rejected, so nothing is silently left out of a file. */
  rowSchema: z.ZodObject<RowShape<WithLineage<C>>, z.core.$strict>
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/

export interface DefineTableOptions<N extends string, C extends ColumnSpecs> {
  /** snake_case: it becomes a Glue table name and a path segment. */
  name: N
  description: string
  /** Column order here is the order in Parquet files, Glue and DDL. */
  columns: C
  primaryKey: readonly (keyof C & string)[]
}

export function defineTable<const N extends string, C extends ColumnSpecs>({
  name,
  description,
  columns,
  primaryKey,
}: DefineTableOptions<N, C>): LakeTable<N, WithLineage<C>> {
  if (!SNAKE_CASE.test(name)) throw new Error(`lake table name must be snake_case: ${JSON.stringify(name)}`)
  for (const column of Object.keys(columns)) {
    if (column === PARTITION_KEY) {
      throw new Error(
        `table ${name}: '${PARTITION_KEY}' is the partition key and lives in the path, not a column`,
      )
    }
    if (column in lineageColumns)
      throw new Error(`table ${name}: ${column} is added to every table, do not declare it`)
    if (!SNAKE_CASE.test(column)) throw new Error(`table ${name}: column name must be snake_case: ${column}`)
  }
  if (primaryKey.length === 0) throw new Error(`table ${name}: primary key must name at least one column`)
  for (const key of primaryKey) {
    const spec = columns[key]
    if (!spec) throw new Error(`table ${name}: primary key column ${key} is not declared`)
    if (spec.nullable) throw new Error(`table ${name}: primary key column ${key} must not be nullable`)
  }
  const all = { ...columns, ...lineageColumns } as WithLineage<C>
  const shape = Object.fromEntries(Object.entries(all).map(([key, spec]) => [key, spec.schema])) as RowShape<
    WithLineage<C>
  >
  return {
    name,
    description,
    columns: Object.entries(all).map(([key, spec]) => ({
      name: key,
      type: spec.type,
      nullable: spec.nullable,
      description: spec.description,
    })),
    primaryKey,
    partitionKey: PARTITION_KEY,
    rowSchema: z.strictObject(shape),
  }
}

/**
 * The primary key of a row as one string, the key of every dedup map (the transformer's collector within
 * a run, compaction across runs): the values in key order, joined by NUL. Key columns hold Spotify and
 * account ids, table names and positions, none of which can contain NUL, so different keys never give
 * the same string; a one-column key is its value as a string (the cheap case compaction meets most).
 *
 * @param row a row of the table (`LakeTable['rowSchema']`'s output, or read back from Parquet)
 * @param primaryKey the table's `primaryKey`
 * @throws Error when a key column is null or missing: such a row has no identity to dedup on
 */
export function primaryKeyOf(row: Readonly<Record<string, unknown>>, primaryKey: readonly string[]): string {
  let key = ''
  for (let i = 0; i < primaryKey.length; i++) {
    const value = row[primaryKey[i]!]
    if (value === null || value === undefined) throw new Error(`row has no value for key ${primaryKey[i]}`)
    // A timestamp by its ISO form: String(Date) drops the milliseconds (two plays a second apart).
    const part = value instanceof Date ? value.toISOString() : String(value)
    key = i === 0 ? part : `${key}\u0000${part}`
  }
  return key
}
