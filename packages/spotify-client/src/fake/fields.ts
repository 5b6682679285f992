/** @module Spotify's `fields=` projection syntax for the fake: names, dot paths, parentheses and `!` exclusions. */
import { SpotifyHttpError } from './http-errors.ts'

/**
 * A parsed field list: each name with its own sub-projection (null = the whole value). An exclusion
 * list drops its names instead of keeping them.
 */
export interface FieldList {
  exclude: boolean
  fields: Map<string, FieldList | null>
}

const invalidFields = (): SpotifyHttpError => new SpotifyHttpError({ status: 400, message: 'Invalid fields' })

/**
 * Parses `fields=` as Spotify documents it: `a,b` top-level names, `a.b` a nested field (`tracks.total`),
 * `a(b,c)` several fields of an object or of each element of a list (`tracks.items(added_at,track(name))`),
 * `!a` to exclude. As in recorded answers (`owner(!href,external_urls)` dropped both), one `!` makes its
 * whole list an exclusion list. Paths that share a prefix merge (`tracks.total,tracks.href`).
 */
export function parseFields(text: string): FieldList {
  let at = 0
  const field = (): { name: string; negated: boolean; child: FieldList | null } => {
    const negated = text[at] === '!'
    if (negated) at++
    const name = /^[A-Za-z0-9_]+/.exec(text.slice(at))?.[0]
    if (!name) throw invalidFields()
    at += name.length
    if (text[at] === '.') {
      // `a.b` is `a(b)`: one field below `a` (a comma after it ends the path, not a list below `a`).
      at++
      const only = field()
      const child: FieldList = { exclude: only.negated, fields: new Map() }
      merge(child.fields, only.name, only.child)
      return { name, negated, child }
    }
    if (text[at] === '(') {
      at++
      const child = list()
      if (text[at] !== ')') throw invalidFields()
      at++
      return { name, negated, child }
    }
    return { name, negated, child: null }
  }
  const list = (): FieldList => {
    const result: FieldList = { exclude: false, fields: new Map() }
    for (;;) {
      const { name, negated, child } = field()
      result.exclude ||= negated
      merge(result.fields, name, child)
      if (text[at] !== ',') return result
      at++
    }
  }
  const parsed = list()
  if (at !== text.length) throw invalidFields()
  return parsed
}

function merge(fields: Map<string, FieldList | null>, name: string, child: FieldList | null): void {
  if (!fields.has(name)) {
    fields.set(name, child)
    return
  }
  const earlier = fields.get(name) ?? null
  // The whole value was asked for already, or now: keep it whole.
  if (earlier === null || child === null) {
    fields.set(name, null)
    return
  }
  for (const [key, value] of child.fields) merge(earlier.fields, key, value)
}

/** Applies a parsed projection: objects keep (or drop) the listed names, lists are projected element-wise. */
export function applyFields(value: unknown, projection: FieldList): unknown {
  if (Array.isArray(value)) return value.map((element) => applyFields(element, projection))
  if (typeof value !== 'object' || value === null) return value
  const object = value as Record<string, unknown>
  if (projection.exclude) {
    return Object.fromEntries(Object.entries(object).filter(([key]) => !projection.fields.has(key)))
  }
  const kept: Record<string, unknown> = {}
  for (const [key, child] of projection.fields) {
    if (!(key in object)) continue
    kept[key] = child === null ? object[key] : applyFields(object[key], child)
  }
  return kept
}

/** The body as `fields=` asks for it (no `fields` = the whole body). */
export function projectFields(body: Record<string, unknown>, fields: string | null): Record<string, unknown> {
  const text = fields?.replace(/\s+/g, '')
  if (!text) return body
  return applyFields(body, parseFields(text)) as Record<string, unknown>
}
