/** @module The neutral column types of the lake and the column builders that pair each with its zod schema. */
import { z } from 'zod'

/**
 * Scalar types every target understands. Calendar dates are deliberately absent: Spotify's
 * `release_date` has year/month/day precision ("1981", "1981-12", "1981-12-04"), so it is a
 * string beside its precision, and the `dt` partition is a string key in Glue and in paths.
 */
export const LAKE_SCALAR_TYPES = ['string', 'int32', 'int64', 'float64', 'boolean', 'timestamp'] as const
export type LakeScalarType = (typeof LAKE_SCALAR_TYPES)[number]

/** Lists hold non-null elements of one scalar type; an empty list is a value, not a null. */
export type LakeListType = `list<${LakeScalarType}>`
export type LakeColumnType = LakeScalarType | LakeListType

/** Every neutral type, scalars first: the list each target mapper must cover. */
export const LAKE_COLUMN_TYPES: readonly LakeColumnType[] = [
  ...LAKE_SCALAR_TYPES,
  ...LAKE_SCALAR_TYPES.map((t): LakeListType => `list<${t}>`),
]

/** One column as every target sees it, in declared order. */
export interface LakeColumn {
  name: string
  type: LakeColumnType
  nullable: boolean
  description: string
}

/** A column declaration: its neutral type plus the zod schema that validates its row values. */
export interface LakeColumnSpec<S extends z.ZodType = z.ZodType> {
  type: LakeColumnType
  nullable: boolean
  description: string
  schema: S
}

export function isListType(type: LakeColumnType): type is LakeListType {
  return type.startsWith('list<')
}

/** The element type of a list, or the type itself for a scalar. */
export function scalarOf(type: LakeColumnType): LakeScalarType {
  return isListType(type) ? (type.slice(5, -1) as LakeScalarType) : type
}

/**
 * Timestamps are `Date`s in rows (what Parquet readers hand back). An ISO 8601 string with an
 * offset is accepted on input, because that is how Spotify spells `added_at`.
 */
const timestampSchema = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((value) => (value instanceof Date ? value : new Date(value)))
  .pipe(z.date())

const scalarSchemas = {
  string: z.string(),
  int32: z.int32(),
  // Rows hold numbers (safe integers); the Parquet mapper turns them into bigint.
  int64: z.int(),
  float64: z.number(),
  boolean: z.boolean(),
  timestamp: timestampSchema,
} satisfies Record<LakeScalarType, z.ZodType>

type ScalarSchemas = typeof scalarSchemas

interface ColumnOptions {
  description: string
}

function scalar<T extends LakeScalarType>(type: T) {
  function build(options: ColumnOptions & { nullable: true }): LakeColumnSpec<z.ZodNullable<ScalarSchemas[T]>>
  function build(options: ColumnOptions & { nullable?: false }): LakeColumnSpec<ScalarSchemas[T]>
  function build({ description, nullable = false }: ColumnOptions & { nullable?: boolean }): LakeColumnSpec {
    const base = scalarSchemas[type]
    return { type, nullable, description, schema: nullable ? base.nullable() : base }
  }
  return build
}

function list<T extends LakeScalarType>(element: T) {
  function build(
    options: ColumnOptions & { nullable: true },
  ): LakeColumnSpec<z.ZodNullable<z.ZodArray<ScalarSchemas[T]>>>
  function build(options: ColumnOptions & { nullable?: false }): LakeColumnSpec<z.ZodArray<ScalarSchemas[T]>>
  function build({ description, nullable = false }: ColumnOptions & { nullable?: boolean }): LakeColumnSpec {
    const base = z.array(scalarSchemas[element])
    return { type: `list<${element}>`, nullable, description, schema: nullable ? base.nullable() : base }
  }
  return build
}

/**
 * String columns may narrow to a closed set of values (Spotify enums such as `album_type`);
 * the lake still stores them as plain strings so a new Spotify value is a reject, not a schema change.
 */
function string(options: ColumnOptions & { nullable: true }): LakeColumnSpec<z.ZodNullable<z.ZodString>>
function string(options: ColumnOptions & { nullable?: false }): LakeColumnSpec<z.ZodString>
function string<const V extends readonly [string, ...string[]]>(
  options: ColumnOptions & { nullable: true; oneOf: V },
): LakeColumnSpec<z.ZodNullable<z.ZodEnum<{ [K in V[number]]: K }>>>
function string<const V extends readonly [string, ...string[]]>(
  options: ColumnOptions & { nullable?: false; oneOf: V },
): LakeColumnSpec<z.ZodEnum<{ [K in V[number]]: K }>>
function string({
  description,
  nullable = false,
  oneOf,
}: ColumnOptions & { nullable?: boolean; oneOf?: readonly [string, ...string[]] }): LakeColumnSpec {
  const base = oneOf ? z.enum(oneOf) : z.string()
  return { type: 'string', nullable, description, schema: nullable ? base.nullable() : base }
}

/** Column builders, one per neutral type: `col.int32({ description, nullable: true })`. */
export const col = {
  string,
  int32: scalar('int32'),
  int64: scalar('int64'),
  float64: scalar('float64'),
  boolean: scalar('boolean'),
  timestamp: scalar('timestamp'),
  list: {
    string: list('string'),
    int32: list('int32'),
    int64: list('int64'),
    float64: list('float64'),
    boolean: list('boolean'),
    timestamp: list('timestamp'),
  },
} as const
