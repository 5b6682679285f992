/** @module Resolves local `$ref`s (`#/components/...`) inside an OpenAPI document. */
import type { OpenApiDocument } from './openapi.ts'

/** The object a `#/...` JSON pointer names; throws on external or dangling refs. */
export function resolvePointer({ doc, ref }: { doc: OpenApiDocument; ref: string }): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`)
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (typeof node !== 'object' || node === null || !(key in node)) {
      throw new Error(`dangling $ref ${ref} (no "${key}")`)
    }
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

/** Follows `$ref` chains until a node without `$ref` (sibling keys of a `$ref` are ignored, per OpenAPI 3.0). */
export function deref<T extends { $ref?: string }>({ doc, node }: { doc: OpenApiDocument; node: T }): T {
  let current = node
  const seen = new Set<string>()
  while (current.$ref !== undefined) {
    if (seen.has(current.$ref)) throw new Error(`circular $ref ${current.$ref}`)
    seen.add(current.$ref)
    current = resolvePointer({ doc, ref: current.$ref }) as T
  }
  return current
}
