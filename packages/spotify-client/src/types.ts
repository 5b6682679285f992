/** @module Shared types of the client: modes, raw responses, results, injectable runtime hooks. */
import type { ApiMode, RawResponse } from '@spotify-lake/schemas'

export type { ApiMode }
/** `auto` detects the app's quota mode once per client (see `mode.ts`). */
export type ModeOption = 'auto' | ApiMode
export type Params = Record<string, string>

/** The `fetch` the client calls; defaults to `globalThis.fetch`. A hono `app.fetch` also fits. */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>

/**
 * One HTTP exchange with Spotify: the schemas' `RawResponse` (url, endpoint, params, status, fetchedAt and
 * the body text exactly as received, byte order mark kept), which is what the raw zone stores, plus the API
 * mode it was made in (the raw envelope keeps that once, as `apiMode`). No headers: they carry the token.
 */
export type SpotifyExchange = RawResponse & { mode: ApiMode }

/** A validated payload together with the exchange it came from. */
export interface Fetched<T> {
  data: T
  raw: SpotifyExchange
}

/** Results of a call that may take several requests (batches, single-GET fallbacks). */
export interface FetchedMany<T> {
  /** One entry per requested id, in request order; `null` where Spotify has no such object. */
  items: (T | null)[]
  raws: SpotifyExchange[]
}

/** Time and randomness, injectable so tests run backoff and Retry-After on a fake clock. */
export interface Runtime {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const realRuntime: Runtime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
}
