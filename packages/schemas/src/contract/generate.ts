/** @module Deterministic example instances of an OpenAPI response schema: every property filled. */
import type { JsonSchema, OpenApiDocument } from './openapi.ts'
import { deref } from './refs.ts'

export type GenerateOptions = {
  doc: OpenApiDocument
  schema: JsonSchema
  /** Elements per array: 1, or 2 to exercise both branches of a `oneOf` (track and episode). */
  arrayLength?: 1 | 2
  /** `'value'`: nullable fields get a value; `'null'`: every nullable field is null. */
  nullableAs?: 'value' | 'null'
}

type Context = Required<Omit<GenerateOptions, 'schema'>> & { depth: number }

/** Fixed so two runs produce the same bytes (no clock, no randomness). */
const DATE_TIME = '2026-01-02T03:04:05Z'
const MAX_DEPTH = 40

/**
 * An instance of `schema`: every declared property present, enums take their first value (or the
 * n-th, for the n-th array element), `oneOf`/`anyOf` pick the branch by array position, `allOf`
 * branches are merged. Strings come from the schema's `example` when it has one, else from the
 * property name, so failures point at the field.
 */
export function generateInstance({
  doc,
  schema,
  arrayLength = 1,
  nullableAs = 'value',
}: GenerateOptions): unknown {
  return generate(schema, { doc, arrayLength, nullableAs, depth: 0 }, 'value', 0)
}

function generate(node: JsonSchema, ctx: Context, name: string, index: number): unknown {
  if (ctx.depth > MAX_DEPTH)
    throw new Error(`schema nests deeper than ${MAX_DEPTH} levels near "${name}" (recursive?)`)
  const schema = deref({ doc: ctx.doc, node })
  const inner: Context = { ...ctx, depth: ctx.depth + 1 }
  if (schema.nullable === true && ctx.nullableAs === 'null') return null
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => generate(part, inner, name, index))
    const own = schema.properties ? generateObject(schema, inner, index) : {}
    return parts.every(isPlainObject) ? Object.assign({}, ...parts, own) : parts[0]
  }
  const branches = schema.oneOf ?? schema.anyOf
  if (branches && branches.length > 0) {
    return generate(branches[index % branches.length] as JsonSchema, inner, name, index)
  }
  if (schema.enum && schema.enum.length > 0) return schema.enum[index % schema.enum.length]
  switch (schema.type ?? (schema.properties ? 'object' : undefined)) {
    case 'object':
      return generateObject(schema, inner, index)
    case 'array':
      return Array.from({ length: ctx.arrayLength }, (_, i) =>
        generate(schema.items ?? {}, inner, singular(name), i),
      )
    case 'string':
      return generateString(schema, name, index)
    case 'integer':
      return Number.isInteger(schema.example) ? schema.example : (schema.minimum ?? 1)
    case 'number':
      return typeof schema.example === 'number' ? schema.example : (schema.minimum ?? 1.5)
    case 'boolean':
      return false
    default:
      throw new Error(`cannot generate "${name}": schema has no type, properties, enum or composition`)
  }
}

function generateObject(schema: JsonSchema, ctx: Context, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    out[key] = generate(property, ctx, key, index)
  }
  return out
}

function generateString(schema: JsonSchema, name: string, index: number): string {
  if (schema.format === 'date-time') return DATE_TIME
  // YAML block scalars (`example: |`) end in a newline that is not part of the value.
  if (typeof schema.example === 'string') return schema.example.trimEnd()
  // Spotify's file spells some single-value enums only in prose: `The object type: "playlist".`
  const prose = schema.description?.match(/The object type: "(\w+)"/)?.[1]
  if (prose) return prose
  return index === 0 ? `${name}` : `${name}-${index}`
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
