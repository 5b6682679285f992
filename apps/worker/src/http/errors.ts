/** @module JSON error answers of the API: one shape (`{ error, ...details }`), never a secret or a stack. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'

export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  details: Record<string, unknown> = {},
): Response {
  return c.json({ error, ...details }, status)
}

/** `field: message` per zod issue (zod issues carry no input values here: see `reportInput`). */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }))
}
