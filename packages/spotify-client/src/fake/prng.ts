/** @module Seeded, deterministic randomness for the fake: a tiny PRNG and stable Spotify-like ids (never Math.random). */

/** A stream of pseudo-random numbers in [0, 1). */
export interface Prng {
  next(): number
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number
  pick<T>(values: readonly T[]): T
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** FNV-1a over the text: turns any seed/key into a 32-bit PRNG state. */
export const hashText = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: small, fast, good enough for synthetic data, and identical in Node and workerd. */
export const createPrng = ({ seed }: { seed: string | number }): Prng => {
  let state = hashText(String(seed))
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(values: readonly T[]): T => {
    const value = values[Math.floor(next() * values.length)]
    if (value === undefined) throw new Error('pick() from an empty list')
    return value
  }
  return { next, int, pick }
}

const randomString = (alphabet: string, length: number, key: string): string => {
  const prng = createPrng({ seed: key })
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(prng.next() * alphabet.length)]
  return out
}

/** A 22-character base62 id, like Spotify's, derived only from the key (stable across runs). */
export const spotifyId = (key: string): string => randomString(BASE62, 22, `id:${key}`)

/** A snapshot id in Spotify's style (base64-looking, 32 chars), derived only from the key. */
export const snapshotId = (key: string): string => randomString(BASE64, 32, `snapshot:${key}`)

/** True when the text looks like a Spotify base62 id. */
export const isSpotifyId = (text: string): boolean => /^[0-9A-Za-z]{22}$/.test(text)
