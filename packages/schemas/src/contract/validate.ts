/** @module Validates a JSON value against an OpenAPI 3.0 schema (the keyword subset Spotify's file uses). */
import type { JsonSchema, OpenApiDocument } from './openapi.ts'
import { responseSchema } from './operations.ts'
import { deref } from './refs.ts'

export type ContractIssue = { path: string; message: string }

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Every way `value` breaks `schema`, as `{path, message}` (empty when it conforms). OpenAPI 3.0
 * semantics: `nullable` allows null, unknown properties are allowed unless `additionalProperties:
 * false`, `oneOf` needs exactly one matching branch. Formats other than date-time are not checked.
 */
export function validateInstance({
  doc,
  schema,
  value,
}: {
  doc: OpenApiDocument
  schema: JsonSchema
  value: unknown
}): ContractIssue[] {
  const issues: ContractIssue[] = []
  check(doc, schema, value, '$', issues)
  return issues
}

function check(
  doc: OpenApiDocument,
  node: JsonSchema,
  value: unknown,
  path: string,
  issues: ContractIssue[],
): void {
  const schema = deref({ doc, node })
  if (value === null) {
    if (schema.nullable !== true) issues.push({ path, message: 'is null but the schema is not nullable' })
    return
  }
  for (const part of schema.allOf ?? []) check(doc, part, value, path, issues)
  if (schema.oneOf) checkBranches(doc, schema.oneOf, value, path, issues, 'oneOf')
  if (schema.anyOf) checkBranches(doc, schema.anyOf, value, path, issues, 'anyOf')
  if (schema.enum && !schema.enum.includes(value)) {
    issues.push({ path, message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}` })
  }
  const type = schema.type ?? (schema.properties || schema.required ? 'object' : undefined)
  if (type === undefined) return
  if (!hasType(value, type)) {
    issues.push({ path, message: `expected ${type}, got ${jsonTypeOf(value)}` })
    return
  }
  if (type === 'string' && schema.format === 'date-time' && !DATE_TIME.test(value as string)) {
    issues.push({ path, message: `${JSON.stringify(value)} is not an ISO date-time` })
  }
  if (type === 'integer' || type === 'number') {
    const n = value as number
    if (schema.minimum !== undefined && n < schema.minimum)
      issues.push({ path, message: `${n} < minimum ${schema.minimum}` })
    if (schema.maximum !== undefined && n > schema.maximum)
      issues.push({ path, message: `${n} > maximum ${schema.maximum}` })
  }
  if (type === 'array' && schema.items) {
    const items = schema.items
    ;(value as unknown[]).forEach((item, i) => {
      check(doc, items, item, `${path}[${i}]`, issues)
    })
  }
  if (type === 'object') checkObject(doc, schema, value as Record<string, unknown>, path, issues)
}

function checkObject(
  doc: OpenApiDocument,
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
  issues: ContractIssue[],
): void {
  for (const key of schema.required ?? []) {
    if (!(key in value)) issues.push({ path: `${path}.${key}`, message: 'is required but missing' })
  }
  const properties = schema.properties ?? {}
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key]
    if (property) check(doc, property, item, `${path}.${key}`, issues)
    else if (schema.additionalProperties === false)
      issues.push({ path: `${path}.${key}`, message: 'is not allowed' })
    else if (typeof schema.additionalProperties === 'object') {
      check(doc, schema.additionalProperties, item, `${path}.${key}`, issues)
    }
  }
}

function checkBranches(
  doc: OpenApiDocument,
  branches: JsonSchema[],
  value: unknown,
  path: string,
  issues: ContractIssue[],
  keyword: 'oneOf' | 'anyOf',
): void {
  const results = branches.map((branch) => validateInstance({ doc, schema: branch, value }))
  const matches = results.filter((r) => r.length === 0).length
  if (matches === 0) {
    const closest = results.reduce((a, b) => (b.length < a.length ? b : a))
    issues.push({ path, message: `matches no ${keyword} branch; closest fails: ${formatIssues(closest)}` })
  } else if (keyword === 'oneOf' && matches > 1) {
    issues.push({ path, message: `matches ${matches} oneOf branches, expected exactly one` })
  }
}

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    default:
      return typeof value === type
  }
}

/** The JSON type of a value, as OpenAPI names it in an issue (`array` apart from `object`). */
function jsonTypeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value
}

function formatIssues(issues: ContractIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path} ${i.message}`)
    .join('; ')
}

/**
 * Throws (listing up to 5 issues) unless `body` matches the OpenAPI response of `method` + `path`
 * at `status`. For tests of anything that serves Spotify-shaped JSON, e.g. the local fake server.
 */
export function assertMatchesResponse({
  doc,
  method,
  path,
  status = 200,
  body,
}: {
  doc: OpenApiDocument
  method: string
  path: string
  status?: number
  body: unknown
}): void {
  const schema = responseSchema({ doc, method, path, status })
  const issues = validateInstance({ doc, schema, value: body })
  if (issues.length > 0) {
    const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : ''
    throw new Error(
      `${method.toUpperCase()} ${path} ${status} body breaks the OpenAPI contract: ${formatIssues(issues)}${more}`,
    )
  }
}
