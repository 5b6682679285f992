/** @module Test support: the same Spotify payload in both 2026 shapes (`items`/`item` and legacy `tracks`/`track`). */

export type Shape = '2026' | 'legacy'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function rename(value: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  if (!(from in value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key === from ? to : key] = v
  return out
}

function entriesIn(page: unknown, shape: Shape): unknown {
  if (!isObject(page) || !Array.isArray(page.items)) return page
  const [from, to] = shape === '2026' ? ['track', 'item'] : ['item', 'track']
  return { ...page, items: page.items.map((e) => (isObject(e) ? rename(e, from, to) : e)) }
}

/**
 * A playlist (its page key and each entry's content key) or a bare items page (each entry's key) in
 * the given shape; key order is kept, so only the names differ.
 */
export function inShape<T>(payload: T, shape: Shape): T {
  if (!isObject(payload)) return payload
  if (payload.type !== 'playlist' && !('owner' in payload)) return entriesIn(payload, shape) as T
  const [from, to] = shape === '2026' ? ['tracks', 'items'] : ['items', 'tracks']
  const renamed = rename(payload, from, to)
  return (to in renamed ? { ...renamed, [to]: entriesIn(renamed[to], shape) } : renamed) as T
}

export const SHAPES: readonly Shape[] = ['2026', 'legacy']
