/** @module How extraction failures map to queue actions, and the delay arithmetic. */
import { S3Error } from '@spotify-lake/lake-store'
import {
  RateLimitedError,
  SpotifyConfigError,
  SpotifyForbiddenError,
  SpotifyInvalidResponseError,
  SpotifyNotFoundError,
  SpotifyTimeoutError,
  SpotifyUnavailableError,
} from '@spotify-lake/spotify-client'
import { describe, expect, it } from 'vitest'
import {
  backoffSeconds,
  classifyError,
  delayUntil,
  MAX_DELAY_SECONDS,
} from '../../src/extract/classify-error.ts'

describe('classifyError', () => {
  it('defers long 429s until Spotify says, gives up on 404/403/unreadable payloads, retries the rest', () => {
    const retryAt = new Date('2026-11-21T03:00:00Z')
    expect(classifyError(new RateLimitedError('429', { retryAfterSeconds: 7200, retryAt }))).toMatchObject({
      kind: 'deferred',
      retryAt,
    })
    for (const error of [
      new SpotifyNotFoundError('GET /playlists/{id}: Spotify answered 404', { status: 404 }),
      new SpotifyForbiddenError('403', { status: 403 }),
      new SpotifyInvalidResponseError('bad', { path: 'items.0.track.id' }),
      new SpotifyConfigError('/me needs a user token'),
    ]) {
      expect(classifyError(error).kind).toBe('permanent')
    }
    for (const error of [
      new SpotifyUnavailableError('503'),
      new SpotifyTimeoutError('slow'),
      new S3Error('S3 PUT failed: 503', 503, 'SlowDown', true),
      new TypeError('fetch failed'),
      new SpotifyInvalidResponseError('not JSON', { path: '' }),
    ]) {
      expect(classifyError(error).kind).toBe('transient')
    }
    expect(classifyError(new SpotifyNotFoundError('gone', { status: 404 })).message).toBe(
      'SpotifyNotFoundError: gone',
    )
  })
})

describe('delays', () => {
  const now = new Date('2026-11-21T01:00:00Z')
  it('waits until retryAt, at least a second, at most the 12 h queue limit', () => {
    expect(delayUntil(new Date('2026-11-21T01:00:10.200Z'), now)).toBe(11)
    expect(delayUntil(new Date('2026-11-21T00:00:00Z'), now)).toBe(1)
    expect(delayUntil(new Date('2026-11-23T01:00:00Z'), now)).toBe(MAX_DELAY_SECONDS)
  })

  it('backs off 30 s, 60 s, 120 s ... up to an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 3600, 3600])
  })
})
