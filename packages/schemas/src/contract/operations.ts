/** @module Finds operations by method + path and returns their response JSON schemas. */
import {
  HTTP_METHODS,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
} from './openapi.ts'
import { deref } from './refs.ts'

export type OperationRef = { method: HttpMethod; path: string; operation: OpenApiOperation }

/** Every operation of the document, in file order. */
export function listOperations({ doc }: { doc: OpenApiDocument }): OperationRef[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ method, path, operation: item[method] }] : [])),
  )
}

/**
 * Strips the server prefix (`https://api.spotify.com/v1` or `/v1`), the query string and a trailing
 * slash, so a real request URL and a path template compare alike.
 */
function normalisePath(path: string): string {
  let p = path.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? ''
  if (p.startsWith('/v1/')) p = p.slice(3)
  return p.length > 1 ? p.replace(/\/$/, '') : p
}

function templateMatches(template: string, path: string): boolean {
  const t = template.split('/')
  const p = path.split('/')
  return (
    t.length === p.length && t.every((seg, i) => seg === p[i] || (/^\{[^}]+\}$/.test(seg) && p[i] !== ''))
  )
}

/**
 * The operation for `method` + `path`. `path` may be a template (`/playlists/{playlist_id}/items`,
 * any parameter names) or a concrete request path or URL (`/v1/playlists/37i9.../items?limit=50`).
 * When several templates match, the one with the fewest parameters (most literal segments) wins.
 */
export function findOperation({
  doc,
  method,
  path,
}: {
  doc: OpenApiDocument
  method: string
  path: string
}): OperationRef {
  const wanted = normalisePath(path).replace(/\{[^}]+\}/g, '{}')
  const lower = method.toLowerCase() as HttpMethod
  const candidates = Object.keys(doc.paths)
    .filter((template) => templateMatches(template, wanted))
    .sort((a, b) => paramCount(a) - paramCount(b))
  for (const template of candidates) {
    const operation = doc.paths[template]?.[lower]
    if (operation) return { method: lower, path: template, operation }
  }
  throw new Error(`no operation ${method.toUpperCase()} ${path} in the OpenAPI document`)
}

function paramCount(template: string): number {
  return (template.match(/\{/g) ?? []).length
}

/** The JSON schema of an operation's response body for `status` (default 200), `$ref`s of the envelope resolved. */
export function responseSchema({
  doc,
  method,
  path,
  status = 200,
  contentType = 'application/json',
}: {
  doc: OpenApiDocument
  method: string
  path: string
  status?: number
  contentType?: string
}): JsonSchema {
  const { operation, path: template } = findOperation({ doc, method, path })
  const declared = operation.responses[String(status)]
  if (!declared) {
    const known = Object.keys(operation.responses).join(', ')
    throw new Error(`${method.toUpperCase()} ${template} declares no ${status} response (has ${known})`)
  }
  const response = deref({ doc, node: declared })
  const schema = response.content?.[contentType]?.schema
  if (!schema) throw new Error(`${method.toUpperCase()} ${template} ${status} has no ${contentType} body`)
  return deref({ doc, node: schema })
}
