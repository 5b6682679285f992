/** @module Bearer-token auth for the API: constant-time comparison of SHA-256 digests. */
import type { MiddlewareHandler } from 'hono'
import { jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

const encoder = new TextEncoder()

/** Digests first: equal lengths for `timingSafeEqual`, and the time taken says nothing about the token. */
export async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ])
  return crypto.subtle.timingSafeEqual(a, b)
}

export function requireBearer(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
    const given = match?.[1]
    const problem = !given
      ? 'missing bearer token: send "Authorization: Bearer <token>"'
      : (await tokensEqual(given, c.get('http').REFRESH_API_TOKEN))
        ? null
        : 'invalid bearer token'
    if (problem) {
      c.header('WWW-Authenticate', 'Bearer realm="spotify-lake"')
      return jsonError(c, 401, problem)
    }
    await next()
  }
}
