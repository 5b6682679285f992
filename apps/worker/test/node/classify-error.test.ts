/** @module The consumer's verdicts come from the failure table; the delays it derives from them. */
import { S3Error } from '@spotify-lake/lake-store'
import { RateLimitedError, SpotifyAuthError, SpotifyNotFoundError } from '@spotify-lake/spotify-client'
import { describe, expect, it } from 'vitest'
import { ConfigError, ExtractConfigSchema, readConfig } from '../../src/config.ts'
import {
  backoffSeconds,
  classifyError,
  delayUntil,
  MAX_DELAY_SECONDS,
} from '../../src/extract/classify-error.ts'

describe('classifyError', () => {
  it('defers long 429s, stops a unit on 404, fails the run on a refused client, retries S3 hiccups', () => {
    const retryAt = new Date('2026-11-21T03:00:00Z')
    expect(classifyError(new RateLimitedError('429', { retryAfterSeconds: 7200, retryAt }))).toMatchObject({
      kind: 'defer',
      retryAt,
    })
    expect(classifyError(new SpotifyNotFoundError('gone', { status: 404 }))).toMatchObject({
      kind: 'permanent',
      scope: 'unit',
      message: 'SpotifyNotFoundError: gone',
    })
    const refused = new SpotifyAuthError('POST /api/token: Spotify answered 400: invalid_client', {
      endpoint: 'POST /api/token',
      status: 400,
      oauthError: 'invalid_client',
    })
    expect(classifyError(refused)).toMatchObject({
      kind: 'permanent',
      scope: 'run',
      reason: 'spotify_client_invalid',
    })
    expect(classifyError(new S3Error('S3 PUT failed: 503', 503, 'SlowDown', true)).kind).toBe('transient')
  })

  it("classifies the Worker's own ConfigError as a run-wide configuration failure", () => {
    let error: unknown
    try {
      readConfig(ExtractConfigSchema, {})
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect(classifyError(error)).toMatchObject({ kind: 'permanent', scope: 'run', reason: 'config_invalid' })
  })
})

describe('delays', () => {
  const now = new Date('2026-11-21T01:00:00Z')
  it('waits until retryAt, at least a second, at most the 12 h queue limit', () => {
    expect(delayUntil(new Date('2026-11-21T01:00:10.200Z'), now)).toBe(11)
    expect(delayUntil(new Date('2026-11-21T00:00:00Z'), now)).toBe(1)
    expect(delayUntil(new Date('2026-11-23T01:00:00Z'), now)).toBe(MAX_DELAY_SECONDS)
  })

  it('backs off 10 s, 20 s, 40 s ... up to five minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffSeconds)).toEqual([10, 20, 40, 80, 160, 300, 300])
  })
})
