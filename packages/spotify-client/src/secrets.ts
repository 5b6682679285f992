/** @module Keeps every secret the client holds so error text can be scrubbed before anyone sees it. */

export interface Secrets {
  /** Remember a secret (client secret, refresh token, access token, Basic header value). */
  add(secret: string | undefined): void
  /** Replace every known secret inside `text` with `[redacted]`. */
  scrub(text: string): string
  /** A plain, scrubbed copy of an unknown thrown value, safe to use as an error `cause`. */
  safeCause(cause: unknown): Error
}

/** Short values would redact ordinary words; real Spotify secrets are 32+ characters. */
const MIN_SECRET_LENGTH = 8

export function createSecrets(): Secrets {
  const known = new Set<string>()
  const scrub = (text: string): string => {
    let out = text
    for (const secret of known) out = out.split(secret).join('[redacted]')
    return out
  }
  return {
    add(secret) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) known.add(secret)
    },
    scrub,
    safeCause(cause) {
      // A fresh Error, never the original: a thrown value may hold the Request and its headers.
      const name = cause instanceof Error ? cause.name : 'Error'
      const message = cause instanceof Error ? cause.message : String(cause)
      const safe = new Error(scrub(message))
      safe.name = name
      return safe
    },
  }
}
