/**
 * @module The dashboard's session: the API token, typed once into the login form, is traded for a cookie
 * that proves it was known. The cookie holds an expiry and an HMAC-SHA256 of it keyed by the token, never
 * the token itself; changing the token ends every session. Web Crypto only: the same code runs in Node
 * (the CLI) and workerd (the Worker).
 */

/** `__Host-`: the browser keeps it only when Secure, Path=/ and without Domain (RFC 6265bis). */
export const SESSION_COOKIE = '__Host-lake_session'
/** Twelve hours: a working day, then the token again. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60

const encoder = new TextEncoder()

function base64Url(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

async function sign(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return base64Url(await crypto.subtle.sign('HMAC', key, encoder.encode(`spotify-lake dashboard ${payload}`)))
}

/** Digests first, so the comparison takes the same time whatever the inputs' lengths and contents. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ])
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!
  return diff === 0
}

/** A session value valid until `now + ttl` (ms since the epoch), for the holder of `secret`. */
export async function createSession(secret: string, now = Date.now(), ttlSeconds = SESSION_TTL_SECONDS) {
  const payload = `v1.${now + ttlSeconds * 1000}`
  return `${payload}.${await sign(secret, payload)}`
}

/** Whether `value` is a session `secret` signed and that has not expired. Never throws. */
export async function verifySession(value: string | undefined, secret: string, now = Date.now()) {
  const match = /^(v1\.(\d{1,15}))\.([A-Za-z0-9_-]{43})$/.exec(value ?? '')
  if (!match || !secret) return false
  if (Number(match[2]) <= now) return false
  return secretsEqual(match[3]!, await sign(secret, match[1]!))
}
