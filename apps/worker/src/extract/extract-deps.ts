/** @module What the extract consumer works with, and small helpers over the Spotify client's state. */
import type { LakeStore } from '@spotify-lake/lake-store'
import type { ApiStatsDelta } from '@spotify-lake/run-coordinator'
import type { ApiMode } from '@spotify-lake/schemas'
import type { ClientStats, SpotifyClient } from '@spotify-lake/spotify-client'
import type { ExtractConfig } from '../config.ts'

export interface ExtractDeps {
  env: Env
  config: ExtractConfig
  store: LakeStore
  /** One client per batch: one token, one limiter, one mode detection for all its messages. */
  client: SpotifyClient
  now?: () => Date
}

/** The detected mode, else the configured one (a failure before any call leaves `auto` undetected). */
export function apiModeOf(client: SpotifyClient, config: ExtractConfig): ApiMode {
  const configured = config.SPOTIFY_API_MODE === 'auto' ? undefined : config.SPOTIFY_API_MODE
  return client.mode() ?? configured ?? 'development'
}

/** API counters of one message: the client's counters after minus before (the client is shared by the batch). */
export function statsDelta(before: ClientStats, after: ClientStats): ApiStatsDelta {
  const byEndpoint: Record<string, number> = {}
  for (const [endpoint, n] of Object.entries(after.byEndpoint)) {
    const d = n - (before.byEndpoint[endpoint] ?? 0)
    if (d > 0) byEndpoint[endpoint] = d
  }
  return {
    calls: after.calls - before.calls,
    byEndpoint,
    retries: after.retries - before.retries,
    rateLimited: after.rateLimited - before.rateLimited,
    waitMs: after.waitMs - before.waitMs,
    bytes: after.bytes - before.bytes,
  }
}
