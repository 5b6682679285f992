/** @module Operator auth: the API token (Bearer, compared in constant time as SHA-256 digests) or Cloudflare Access. */
import type { Context, MiddlewareHandler } from 'hono'
import { verifyAccessJwt } from './access.ts'
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

/**
 * Whether the request comes from the operator: the API token as `Authorization: Bearer` (or `formToken`,
 * typed into the /connect page), or a valid Cloudflare Access assertion when Access is configured.
 */
export async function operatorOf(c: Context<AppEnv>, formToken?: string): Promise<boolean> {
  const expected = c.get('http').REFRESH_API_TOKEN
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
  for (const given of [bearer, formToken]) if (given && (await tokensEqual(given, expected))) return true
  const access = c.get('http')
  const assertion = c.req.header('cf-access-jwt-assertion')
  if (access.ACCESS_TEAM_DOMAIN && access.ACCESS_AUD && assertion) {
    return verifyAccessJwt({
      token: assertion,
      teamDomain: access.ACCESS_TEAM_DOMAIN,
      audience: access.ACCESS_AUD,
    })
  }
  return false
}
