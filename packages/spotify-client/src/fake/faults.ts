/** @module Injected failures: rate limiting with Retry-After, 5xx, latency, malformed and truncated bodies, each scoped by path. */
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { apiErrorResponse } from './http-errors.ts'
import { createPrng, type Prng } from './prng.ts'

/** Path patterns use `*` as "any characters" and match the whole path; every fault defaults to `/v1/*`. */
const path = z.string().min(1).optional()
const rate = z.number().min(0).max(1)

export const FakeFaultsSchema = z
  .object({
    /** At most `requests` API calls per rolling window; then 429 with Retry-After (seconds). */
    rateLimit: z
      .object({
        requests: z.number().int().min(0),
        windowSeconds: z.number().positive().default(30),
        /** Fixed Retry-After (e.g. 86400); by default the seconds until the window has room again. */
        retryAfterSeconds: z.number().int().min(0).optional(),
        /** The per-developer quota (since July 2026): the 429 body says `reason: QUOTA_EXCEEDED`. */
        quota: z.boolean().default(false),
        path,
      })
      .strict()
      .optional(),
    /** A seeded, deterministic fraction of requests fails with these statuses (taken in turn). */
    serverErrors: z
      .object({
        rate,
        statuses: z.array(z.number().int().min(500).max(599)).min(1).default([500, 502, 503]),
        path,
      })
      .strict()
      .optional(),
    latency: z
      .object({ ms: z.number().int().min(0), path })
      .strict()
      .optional(),
    /** 200 responses whose JSON is complete but syntactically broken. */
    malformedJson: z.object({ rate, path }).strict().optional(),
    /** 200 responses whose body stream breaks off half way (a network error while reading). */
    truncatedBody: z.object({ rate, path }).strict().optional(),
    /**
     * Playlist entries whose content is a kind no schema knows yet (an audiobook), in valid JSON: a
     * `rate` fraction of the entries of playlist and item-page responses.
     */
    offSchemaItems: z.object({ rate, path }).strict().optional(),
  })
  .strict()

export type FakeFaults = z.input<typeof FakeFaultsSchema>
type ParsedFaults = z.output<typeof FakeFaultsSchema>

export type FaultKind =
  | 'rate-limit'
  | 'server-error'
  | 'latency'
  | 'malformed-json'
  | 'truncated-body'
  | 'off-schema-item'

export interface FaultEngine {
  set(faults: FakeFaults): void
  /** Back to the configured faults, an empty rate window and fresh deterministic streams. */
  reset(faults: FakeFaults): void
  current(): ParsedFaults
}

interface EngineState {
  faults: ParsedFaults
  window: number[]
  prngs: Record<'server' | 'malformed' | 'truncated' | 'offSchema', Prng>
  errorCount: number
}

const matches = (pattern: string | undefined, target: string): boolean => {
  const source = (pattern ?? '/v1/*').split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${source.join('.*')}$`).test(target)
}

/** Parses faults from an option, the admin endpoint or FAKE_SPOTIFY_FAULTS, with a clear error for bad input. */
export const parseFaults = (input: unknown): ParsedFaults => {
  const result = FakeFaultsSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid fake Spotify faults: ${z.prettifyError(result.error)}`)
  return result.data
}

export const createFaultMiddleware = ({
  seed,
  initial,
  now,
  sleep,
  onFault,
}: {
  seed: string
  initial: FakeFaults
  now: () => number
  sleep: (ms: number) => Promise<void>
  onFault: (c: Parameters<MiddlewareHandler>[0], kind: FaultKind) => void
}): { engine: FaultEngine; middleware: MiddlewareHandler } => {
  const fresh = (faults: FakeFaults): EngineState => ({
    faults: parseFaults(faults),
    window: [],
    prngs: {
      server: createPrng({ seed: `${seed}:faults:server` }),
      malformed: createPrng({ seed: `${seed}:faults:malformed` }),
      truncated: createPrng({ seed: `${seed}:faults:truncated` }),
      offSchema: createPrng({ seed: `${seed}:faults:off-schema` }),
    },
    errorCount: 0,
  })
  let state = fresh(initial)
  const engine: FaultEngine = {
    set: (faults) => {
      state = { ...state, faults: parseFaults(faults), window: [] }
    },
    reset: (faults) => {
      state = fresh(faults)
    },
    current: () => state.faults,
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    const { faults } = state
    const target = c.req.path
    if (faults.latency && matches(faults.latency.path, target) && faults.latency.ms > 0) {
      onFault(c, 'latency')
      await sleep(faults.latency.ms)
    }
    const limit = faults.rateLimit
    if (limit && matches(limit.path, target)) {
      const at = now()
      const windowMs = limit.windowSeconds * 1000
      state.window = state.window.filter((t) => t > at - windowMs)
      if (state.window.length >= limit.requests) {
        const oldest = state.window[0] ?? at
        const retryAfter = limit.retryAfterSeconds ?? Math.max(1, Math.ceil((oldest + windowMs - at) / 1000))
        onFault(c, 'rate-limit')
        return apiErrorResponse({
          status: 429,
          message: 'API rate limit exceeded',
          headers: { 'retry-after': String(retryAfter) },
          ...(limit.quota ? { reason: 'QUOTA_EXCEEDED' } : {}),
        })
      }
      state.window.push(at)
    }
    const errors = faults.serverErrors
    if (errors && matches(errors.path, target) && state.prngs.server.next() < errors.rate) {
      const status = errors.statuses[state.errorCount++ % errors.statuses.length] ?? 500
      onFault(c, 'server-error')
      // Spotify's edge answers 502 with an HTML page, not JSON: clients must not assume a JSON error body.
      if (status === 502) {
        return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
          status,
          headers: { 'content-type': 'text/html' },
        })
      }
      return apiErrorResponse({ status, message: status === 503 ? 'Service unavailable' : 'Server error.' })
    }
    await next()
    const offSchema = faults.offSchemaItems
    const isJson200 = c.res.status === 200 && (c.res.headers.get('content-type') ?? '').includes('json')
    if (offSchema && isJson200 && matches(offSchema.path, target)) {
      const body = (await c.res.clone().json()) as Record<string, unknown>
      const changed = breakEntries(body, () => state.prngs.offSchema.next() < offSchema.rate)
      if (changed > 0) {
        onFault(c, 'off-schema-item')
        const headers = new Headers(c.res.headers)
        headers.delete('content-length')
        c.res = new Response(JSON.stringify(body), { status: 200, headers })
      }
    }
    const malformed = faults.malformedJson
    const truncated = faults.truncatedBody
    const breakable = c.res.status === 200 && (c.res.headers.get('content-type') ?? '').includes('json')
    if (!breakable) return
    if (malformed && matches(malformed.path, target) && state.prngs.malformed.next() < malformed.rate) {
      onFault(c, 'malformed-json')
      const text = await c.res.text()
      c.res = new Response(`${text.slice(0, -1)},}`, { status: 200, headers: c.res.headers })
    } else if (
      truncated &&
      matches(truncated.path, target) &&
      state.prngs.truncated.next() < truncated.rate
    ) {
      onFault(c, 'truncated-body')
      const bytes = new Uint8Array(await c.res.arrayBuffer())
      const half = bytes.slice(0, Math.floor(bytes.length / 2))
      const headers = new Headers(c.res.headers)
      headers.delete('content-length')
      let sent = false
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!sent) {
            sent = true
            controller.enqueue(half)
            return
          }
          // Let the status line and the first half reach the client before the stream breaks.
          await new Promise((resolve) => setTimeout(resolve, 50))
          controller.error(new Error('fake Spotify: connection dropped mid-body'))
        },
      })
      c.res = new Response(body, { status: 200, headers })
    }
  }
  return { engine, middleware }
}

/** The playlist entries of a response: an item page's `items`, or a playlist's embedded first page. */
function playlistEntries(body: Record<string, unknown>): Record<string, unknown>[] {
  const pageOf = (value: unknown) =>
    value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)
      ? ((value as { items: unknown[] }).items as Record<string, unknown>[])
      : []
  if (body.type === 'playlist') return [...pageOf(body.items), ...pageOf(body.tracks)]
  const entries = pageOf(body)
  return entries.every((e) => e && typeof e === 'object' && 'added_at' in e) ? entries : []
}

/** Turns the content of the chosen entries into an audiobook (a kind the schemas do not know); returns how many. */
function breakEntries(body: Record<string, unknown>, choose: () => boolean): number {
  let changed = 0
  for (const entry of playlistEntries(body)) {
    if (!choose()) continue
    const content = (entry.item ?? entry.track) as { id?: string; name?: string } | null | undefined
    const audiobook = {
      type: 'audiobook',
      id: content?.id ?? 'unknown',
      name: content?.name ?? 'Unknown',
      uri: `spotify:audiobook:${content?.id ?? 'unknown'}`,
      narrators: [{ name: 'A Narrator' }],
    }
    for (const key of ['item', 'track'] as const) if (key in entry) entry[key] = audiobook
    changed++
  }
  return changed
}
