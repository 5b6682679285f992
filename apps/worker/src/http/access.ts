/**
 * @module Cloudflare Access assertions: an RS256 JWT in `Cf-Access-Jwt-Assertion`, signed with the team's
 * keys (`<team domain>/cdn-cgi/access/certs`, rotated every 6 weeks, the old key valid 7 more days), for
 * the application's AUD tag. Verified with Web Crypto; keys are cached and fetched again for an unknown
 * key id, at most once a minute.
 */

interface Jwk {
  kid?: string
  kty: string
  n?: string
  e?: string
  alg?: string
}

interface CachedKeys {
  keys: Jwk[]
  fetchedAt: number
}

const cache = new Map<string, CachedKeys>()
const KEYS_TTL_MS = 3_600_000
const REFETCH_MIN_MS = 60_000

function base64UrlDecode(part: string): Uint8Array {
  const normal = part.replaceAll('-', '+').replaceAll('_', '/')
  const binary = atob(normal.padEnd(Math.ceil(normal.length / 4) * 4, '='))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

function jsonOf<T>(part: string): T | null {
  try {
    return JSON.parse(new TextDecoder().decode(base64UrlDecode(part))) as T
  } catch {
    return null
  }
}

async function teamKeys(
  teamDomain: string,
  fetch: typeof globalThis.fetch,
  now: number,
  force: boolean,
): Promise<Jwk[]> {
  const cached = cache.get(teamDomain)
  const fresh = cached && now - cached.fetchedAt < KEYS_TTL_MS
  const tooSoon = cached && now - cached.fetchedAt < REFETCH_MIN_MS
  if (cached && fresh && !force) return cached.keys
  if (cached && force && tooSoon) return cached.keys
  const res = await fetch(`${teamDomain.replace(/\/+$/, '')}/cdn-cgi/access/certs`)
  if (!res.ok) return cached?.keys ?? []
  const body = (await res.json()) as { keys?: Jwk[] }
  const keys = Array.isArray(body.keys) ? body.keys : []
  cache.set(teamDomain, { keys, fetchedAt: now })
  return keys
}

/**
 * Whether `token` is a valid Access assertion: RS256 with a key of the team, `aud` holding `audience`,
 * `iss` the team domain, and `exp`/`nbf` around `now` (a minute of clock skew allowed).
 * @returns false for anything else; never throws.
 */
export async function verifyAccessJwt({
  token,
  teamDomain,
  audience,
  fetch = (input, init) => globalThis.fetch(input, init),
  now = Date.now(),
}: {
  token: string
  teamDomain: string
  audience: string
  fetch?: typeof globalThis.fetch
  now?: number
}): Promise<boolean> {
  const parts = token.split('.')
  if (parts.length !== 3) return false
  const [h, p, s] = parts as [string, string, string]
  const header = jsonOf<{ alg?: string; kid?: string }>(h)
  const payload = jsonOf<{ aud?: string | string[]; iss?: string; exp?: number; nbf?: number }>(p)
  if (header?.alg !== 'RS256' || !payload) return false
  const issuer = teamDomain.replace(/\/+$/, '')
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!audiences.includes(audience) || payload.iss !== issuer) return false
  const seconds = now / 1000
  if (typeof payload.exp !== 'number' || payload.exp + 60 < seconds) return false
  if (typeof payload.nbf === 'number' && payload.nbf - 60 > seconds) return false
  try {
    let jwk = (await teamKeys(issuer, fetch, now, false)).find((k) => k.kid === header.kid)
    // A key id we do not know yet: Access rotated its key.
    jwk ??= (await teamKeys(issuer, fetch, now, true)).find((k) => k.kid === header.kid)
    if (jwk?.kty !== 'RSA' || !jwk.n || !jwk.e) return false
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    )
    return await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      base64UrlDecode(s),
      new TextEncoder().encode(`${h}.${p}`),
    )
  } catch {
    return false
  }
}
