/** @module One HTTP exchange under a timeout that covers the body too; never throws, reports what happened. */
import type { FetchLike } from './types.ts'

/** What came back over the wire, before any parsing. */
export interface Exchange {
  url: string
  status: number
  body: string
  fetchedAt: string
}

export type ExchangeOutcome =
  | { kind: 'response'; exchange: Exchange; retryAfter: string | null }
  | { kind: 'network'; error: unknown }
  | { kind: 'timeout' }

export interface ExchangeOptions {
  fetch: FetchLike
  request: { url: string; method: string; body?: string | undefined }
  headers: Record<string, string>
  timeoutMs: number
  now: () => number
  onBytes: (count: number) => void
}

const TIMED_OUT = Symbol('timed out')

export async function exchangeOnce({
  fetch,
  request,
  headers,
  timeoutMs,
  now,
  onBytes,
}: ExchangeOptions): Promise<ExchangeOutcome> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // Races the whole exchange, body included: a fetch that ignores its signal still times out.
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve(TIMED_OUT)
    }, timeoutMs)
  })
  const exchange = async (): Promise<ExchangeOutcome> => {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal: controller.signal,
    })
    const bytes = new Uint8Array(await response.arrayBuffer())
    onBytes(bytes.byteLength)
    // ignoreBOM keeps a byte order mark: the raw zone stores the body exactly as sent.
    const body = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes)
    return {
      kind: 'response',
      exchange: { url: request.url, status: response.status, body, fetchedAt: new Date(now()).toISOString() },
      retryAfter: response.headers.get('retry-after'),
    }
  }
  try {
    const outcome = await Promise.race([exchange(), timeout])
    return outcome === TIMED_OUT ? { kind: 'timeout' } : outcome
  } catch (error) {
    return controller.signal.aborted ? { kind: 'timeout' } : { kind: 'network', error }
  } finally {
    clearTimeout(timer)
  }
}
