/**
 * @module Tokens at rest: AES-256-GCM (Web Crypto, the same in workerd and Node) with a key from a Worker
 * secret, a fresh 96-bit IV per value, and the value's slot as additional data, so a storage dump holds
 * no usable token and a sealed value cannot be moved to another slot.
 */

/** A sealed value as stored: base64 IV and ciphertext (with its 128-bit tag), and which key sealed it. */
export interface Sealed {
  v: 1
  /** First 8 hex characters of SHA-256(key): tells which key sealed it, says nothing about the key. */
  kid: string
  iv: string
  ct: string
}

export interface TokenKey {
  id: string
  key: CryptoKey
}

/** The key that seals, and an older one that may still open values sealed before a key rotation. */
export interface TokenKeys {
  current: TokenKey
  previous?: TokenKey | undefined
}

/** A secret that is no AES-256 key, or a value no configured key can open. */
export class TokenKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenKeyError'
  }
}

const encoder = new TextEncoder()

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))

function fromBase64(text: string): Uint8Array {
  const normal = text.trim().replaceAll('-', '+').replaceAll('_', '/')
  const binary = atob(normal.padEnd(Math.ceil(normal.length / 4) * 4, '='))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

/**
 * Imports one key from its secret text: 32 random bytes in base64 (`openssl rand -base64 32`).
 * @throws TokenKeyError naming `name` when the text is not base64 of exactly 32 bytes (never echoing it).
 */
export async function importTokenKey(secret: string, name = 'TOKEN_ENCRYPTION_KEY'): Promise<TokenKey> {
  let bytes: Uint8Array
  try {
    bytes = fromBase64(secret)
  } catch {
    throw new TokenKeyError(`${name} is not base64: generate one with \`openssl rand -base64 32\``)
  }
  if (bytes.length !== 32) {
    throw new TokenKeyError(
      `${name} must be 32 bytes in base64 (AES-256), got ${bytes.length}: generate one with \`openssl rand -base64 32\``,
    )
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  const id = Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')
  const key = await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt'])
  return { id, key }
}

/** The current key and, during a rotation, the previous one. */
export async function importTokenKeys({
  current,
  previous,
}: {
  current: string | undefined
  previous?: string | undefined
}): Promise<TokenKeys> {
  if (!current) {
    throw new TokenKeyError(
      'TOKEN_ENCRYPTION_KEY is not set: generate one with `openssl rand -base64 32` and store it as a Worker secret',
    )
  }
  return {
    current: await importTokenKey(current),
    ...(previous ? { previous: await importTokenKey(previous, 'TOKEN_ENCRYPTION_KEY_PREVIOUS') } : {}),
  }
}

/** Encrypts `plaintext` for the slot `aad` (e.g. `account:<id>:refresh`). */
export async function seal(keys: TokenKeys, plaintext: string, aad: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
      keys.current.key,
      encoder.encode(plaintext),
    ),
  )
  return { v: 1, kid: keys.current.id, iv: toBase64(iv), ct: toBase64(ct) }
}

/**
 * Decrypts a sealed value of the slot `aad` with whichever configured key sealed it.
 * @throws TokenKeyError when no configured key sealed it, or it was altered or moved to another slot.
 */
export async function open(keys: TokenKeys, sealed: Sealed, aad: string): Promise<string> {
  const key = [keys.current, keys.previous].find((k) => k?.id === sealed.kid)
  if (!key) {
    throw new TokenKeyError(
      'a stored token was sealed with another TOKEN_ENCRYPTION_KEY: set TOKEN_ENCRYPTION_KEY_PREVIOUS to the old key, or reconnect the account',
    )
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: encoder.encode(aad) },
      key.key,
      fromBase64(sealed.ct),
    )
    return new TextDecoder().decode(plain)
  } catch {
    throw new TokenKeyError('a stored token does not open (altered, or not sealed for this slot)')
  }
}

/** A short, one-way name of a token (SHA-256, 16 hex): compares tokens without storing or sending them. */
export async function fingerprint(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)))
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')
}
