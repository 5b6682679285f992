/** @module The reject detail of a zod failure: the deepest failing path and the value found there. */
import type { z } from 'zod'

type Issue = z.core.$ZodIssue
type Path = readonly PropertyKey[]

export interface DeepestIssue {
  /** `item.album.artists[0].id` (empty for the value itself). */
  path: string
  message: string
  /** The value at `path` as JSON, cut at 80 characters, or a note that the key is absent. */
  value: string
}

/** `a.b[2].c`: how reject paths spell a location (the same as the transformer's record paths). */
export function formatPath(path: Path): string {
  let out = ''
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key)
  }
  return out
}

/** The issue with the longest path; inside a union, the branch that got furthest (recursively). */
function deepest(issues: readonly Issue[], prefix: Path): { issue: Issue; path: Path } | null {
  let best: { issue: Issue; path: Path } | null = null
  for (const issue of issues) {
    const path = [...prefix, ...issue.path]
    let found: { issue: Issue; path: Path } = { issue, path }
    if (issue.code === 'invalid_union') {
      for (const branch of issue.errors) {
        const inner = deepest(branch, path)
        if (inner && inner.path.length > found.path.length) found = inner
      }
    }
    if (!best || found.path.length > best.path.length) best = found
  }
  return best
}

function valueAt(input: unknown, path: Path): unknown {
  let at: unknown = input
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing: the key is absent'
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 80 ? `${json.slice(0, 77)}...` : json
}

/**
 * The deepest issue of a failed parse of `input`, with the value found at its path. `prefix` is where
 * `input` sits in its record (`['item']` for a playlist entry's content), put in front of the path.
 */
export function deepestIssue(
  error: { issues: readonly Issue[] },
  input: unknown,
  prefix: Path = [],
): DeepestIssue {
  const found = deepest(error.issues, [])
  const path = found?.path ?? []
  return {
    path: formatPath([...prefix, ...path]),
    message: found?.issue.message ?? 'invalid',
    value: show(valueAt(input, path)),
  }
}

/** `item.album.id: Invalid input: expected string, received null (got null)`: one line for a reject. */
export function describeIssue(
  error: { issues: readonly Issue[] },
  input: unknown,
  prefix: Path = [],
): string {
  const { path, message, value } = deepestIssue(error, input, prefix)
  return `${path ? `${path}: ` : ''}${message} (got ${value})`
}
