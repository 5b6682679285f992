/** @module Test support: what the OpenAPI description says of each step of a payload path, and JSON path helpers. */
import { deref, type JsonSchema, type OpenApiDocument } from '@spotify-lake/schemas/contract'

export type PathKey = string | number
export type Path = readonly PathKey[]

/** What the description says of one step: may Spotify leave it out, send null, or has it been removed? */
export interface StepContract {
  key: PathKey
  /** Not in the object's `required` list. */
  optional: boolean
  nullable: boolean
  /** Marked deprecated: Spotify removed it for development-mode apps in 2026, so it may be absent. */
  deprecated: boolean
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Properties and required keys of a node with its `allOf` parts merged (recursively). */
function merged(
  doc: OpenApiDocument,
  node: JsonSchema,
): { properties: Record<string, JsonSchema>; required: string[] } {
  const schema = deref({ doc, node })
  const out = { properties: { ...(schema.properties ?? {}) }, required: [...(schema.required ?? [])] }
  for (const part of schema.allOf ?? []) {
    const inner = merged(doc, part)
    Object.assign(out.properties, inner.properties)
    out.required.push(...inner.required)
  }
  return out
}

/** The object type a branch stands for (`"track"`), from its enum or Spotify's prose. */
function branchType(doc: OpenApiDocument, branch: JsonSchema): string | undefined {
  const type = merged(doc, branch).properties.type
  if (!type) return undefined
  const t = deref({ doc, node: type })
  return (t.enum?.[0] as string | undefined) ?? t.description?.match(/The object type: "(\w+)"/)?.[1]
}

/** `oneOf` resolved against the instance at this level: the branch whose object type it has. */
function resolveBranch(doc: OpenApiDocument, node: JsonSchema, instance: unknown): JsonSchema {
  const schema = deref({ doc, node })
  const branches = schema.oneOf ?? schema.anyOf
  if (!branches) return schema
  const type = isObject(instance) ? instance.type : undefined
  return branches.find((b) => branchType(doc, b) === type) ?? (branches[0] as JsonSchema)
}

/** The contract of every step of `path` inside `schema`, walking the instance alongside for `oneOf`s. */
export function pathContract({
  doc,
  schema,
  path,
  instance,
}: {
  doc: OpenApiDocument
  schema: JsonSchema
  path: Path
  instance: unknown
}): StepContract[] {
  const steps: StepContract[] = []
  let node: JsonSchema = schema
  let value: unknown = instance
  for (const key of path) {
    const here = resolveBranch(doc, node, value)
    if (typeof key === 'number') {
      const items = deref({ doc, node: here }).items
      if (!items) throw new Error(`no array at ${String(key)}`)
      steps.push({
        key,
        optional: false,
        nullable: deref({ doc, node: items }).nullable === true,
        deprecated: false,
      })
      node = items
    } else {
      const { properties, required } = merged(doc, here)
      const property = properties[key]
      if (!property) throw new Error(`the description has no property ${key} (path ${path.join('.')})`)
      steps.push({
        key,
        optional: !required.includes(key),
        nullable: property.nullable === true || deref({ doc, node: property }).nullable === true,
        deprecated: property.deprecated === true || deref({ doc, node: property }).deprecated === true,
      })
      node = property
    }
    value = isObject(value) || Array.isArray(value) ? (value as Record<PathKey, unknown>)[key] : undefined
  }
  return steps
}

/** Every path to a node inside `value` (objects' keys and arrays' indexes), parents before children. */
export function allPaths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = []
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i], ...allPaths(v, [...prefix, i]))
    })
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...allPaths(v, [...prefix, k]))
  }
  return out
}

export function getAt(value: unknown, path: Path): unknown {
  let at = value
  for (const key of path) at = (at as Record<PathKey, unknown> | undefined)?.[key]
  return at
}

/** A deep copy of `value` with the node at `path` removed (an object key) or replaced. */
export function edit<T>(value: T, path: Path, replace: { remove: true } | { set: unknown }): T {
  const copy = structuredClone(value)
  const parent = getAt(copy, path.slice(0, -1)) as Record<PathKey, unknown>
  const key = path.at(-1)!
  if ('remove' in replace) delete parent[key]
  else parent[key] = replace.set
  return copy
}

export const formatKeys = (path: Path) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')

/** The schema of the node at `path` inside `schema` (the record a table row is built from). */
export function schemaAt({
  doc,
  schema,
  path,
  instance,
}: {
  doc: OpenApiDocument
  schema: JsonSchema
  path: Path
  instance: unknown
}): JsonSchema {
  let node: JsonSchema = schema
  let value: unknown = instance
  for (const key of path) {
    const here = resolveBranch(doc, node, value)
    node =
      typeof key === 'number'
        ? (deref({ doc, node: here }).items as JsonSchema)
        : (merged(doc, here).properties[key] as JsonSchema)
    value = (value as Record<PathKey, unknown>)[key]
  }
  return node
}
