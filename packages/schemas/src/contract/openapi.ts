/** @module Loads the vendored Spotify OpenAPI 3.0 description (Node only: reads the file from disk). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

/** The subset of OpenAPI 3.0 schema keywords this tooling understands (the Spotify file uses no others). */
export type JsonSchema = {
  $ref?: string
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  enum?: unknown[]
  nullable?: boolean
  allOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  format?: string
  minimum?: number
  maximum?: number
  example?: unknown
  description?: string
  deprecated?: boolean
}

export type OpenApiResponse = {
  $ref?: string
  description?: string
  content?: Record<string, { schema?: JsonSchema }>
}

export type OpenApiOperation = {
  operationId?: string
  deprecated?: boolean
  responses: Record<string, OpenApiResponse>
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

export type OpenApiDocument = {
  openapi: string
  info: { title: string; version: string }
  servers?: { url: string }[]
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>
  components: {
    schemas: Record<string, JsonSchema>
    responses?: Record<string, OpenApiResponse>
  }
}

/** `packages/schemas/openapi/openapi.yml`, copied from sonallux/spotify-web-api (MIT, see its README). */
export const DEFAULT_OPENAPI_PATH = join(import.meta.dirname, '../../openapi/openapi.yml')

const cache = new Map<string, OpenApiDocument>()

/** Parses the OpenAPI file once per path (the 7,500-line YAML takes a noticeable moment). */
export function loadOpenApi({ path = DEFAULT_OPENAPI_PATH }: { path?: string } = {}): OpenApiDocument {
  const cached = cache.get(path)
  if (cached) return cached
  const doc = parse(readFileSync(path, 'utf8')) as OpenApiDocument
  if (typeof doc?.openapi !== 'string' || !doc.openapi.startsWith('3.') || !doc.paths || !doc.components) {
    throw new Error(`${path} is not an OpenAPI 3 document (missing openapi/paths/components)`)
  }
  cache.set(path, doc)
  return doc
}
