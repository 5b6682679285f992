/** @module Shared types of the client: modes, raw responses, results, injectable runtime hooks. */
import type { ApiMode } from '@spotify-lake/schemas'

export type { ApiMode }
/** `auto` detects the app's quota mode once per client (see `mode.ts`). */
export type ModeOption = 'auto' | ApiMode
export type Params = Record<string, string>

/** The `fetch` the client calls; defaults to `globalThis.fetch`. A hono `app.fetch` also fits. */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>

/**
 * One HTTP exchange with Spotify as the lake stores it (a superset of the schemas' `RawResponse`).
 * No headers: they carry the bearer token.
 */
export interface RawResponse {
  /** Full request URL (Spotify puts no credentials in URLs). */
  url: string
  /** Path template, e.g. `/playlists/{id}/items`. */
  endpoint: string
  /** Path and query parameters of the call. */
  params: Params
  status: number
  /** ISO-8601 UTC time the response finished arriving. */
  fetchedAt: string
  mode: ApiMode
  /** The response body text exactly as received (byte order mark kept). */
  body: string
}

/** A validated payload together with the exchange it came from. */
export interface Fetched<T> {
  data: T
  raw: RawResponse
}

/** Results of a call that may take several requests (batches, single-GET fallbacks). */
export interface FetchedMany<T> {
  /** One entry per requested id, in request order; `null` where Spotify has no such object. */
  items: (T | null)[]
  raws: RawResponse[]
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
