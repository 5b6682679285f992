/**
 * @module One test per row of the failure table: each error is raised by the real Spotify client or the
 * real lake store (against the local fake Spotify, s3rver, or a scripted server where those cannot be
 * made to fail that way), and its expected classification is written here, not read from the table.
 */
import { readFileSync } from 'node:fs'
import { createLakeStore } from '@spotify-lake/lake-store'
import { type LocalS3, startS3rver } from '@spotify-lake/lake-store/testing'
import { createSpotifyClient } from '@spotify-lake/spotify-client'
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyFailure, FAILURE_RULES, type FailureKind, type FailureScope } from '../src/failures.ts'

let fake: RunningFakeSpotify
let s3: LocalS3

beforeAll(async () => {
  fake = await startFakeSpotify({ seed: 'failures', mode: 'development', sizes: [20, 10, 10, 10] })
  s3 = await startS3rver({ bucket: 'failures' })
})
afterAll(async () => {
  await fake?.close()
  await s3?.close()
})

const noWait = { sleep: async () => {}, maxRetries: 1, backoffBaseMs: 1 }

/**
 * The client against the fake Spotify, with the fake's credentials and a fresh consent unless told
 * otherwise (the fake's refresh tokens are single-use, as Spotify's PKCE-issued ones).
 */
function realClient(overrides: Parameters<typeof createSpotifyClient>[0] | object = {}) {
  const { clientId, clientSecret } = fake.fake.credentials
  return createSpotifyClient({
    clientId,
    clientSecret,
    refreshToken: fake.fake.consent().refreshToken,
    mode: 'development',
    apiBaseUrl: `${fake.url}/v1`,
    accountsBaseUrl: fake.url,
    ...noWait,
    ...overrides,
  })
}

/** The client against a scripted server: `api` answers every Web API request, the token endpoint works. */
function scriptedClient(
  api: (url: URL) => Response | Promise<Response>,
  { token }: { token?: () => Response } = {},
) {
  return createSpotifyClient({
    clientId: 'cid',
    clientSecret: 'client-secret-0123',
    mode: 'extended',
    apiBaseUrl: 'https://api.test/v1',
    accountsBaseUrl: 'https://accounts.test',
    timeoutMs: 50,
    ...noWait,
    fetch: async (input) => {
      const url = new URL(String(input))
      if (url.pathname === '/api/token') {
        return token?.() ?? Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 })
      }
      return api(url)
    },
  })
}

const apiError = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { status, message } }, { status, headers })

/** The store against a scripted S3 that answers every request with `status` and an S3 error body. */
function refusingStore(status: number, code: string) {
  return createLakeStore({
    endpoint: 'http://s3.test',
    bucket: 'lake',
    accessKeyId: 'AKID',
    secretAccessKey: 'store-secret-0123',
    retries: 0,
    sleep: async () => {},
    fetch: async () =>
      new Response(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>refused</Message></Error>`, {
        status,
      }),
  })
}

interface Case {
  kind: FailureKind
  scope: FailureScope
  /** Raises the error the way production code meets it. */
  raise: () => Promise<unknown>
}

const trackId = () => fake.fake.catalog.tracks[0]?.id ?? ''

const CASES: Record<string, Case> = {
  quota_exceeded: {
    kind: 'defer',
    scope: 'unit',
    raise: () =>
      scriptedClient(() =>
        Response.json(
          { error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' } },
          { status: 429, headers: { 'retry-after': '7200' } },
        ),
      ).getTracks(['a']),
  },
  rate_limited: {
    kind: 'defer',
    scope: 'unit',
    raise: () =>
      scriptedClient(() => apiError(429, 'API rate limit exceeded', { 'retry-after': '7200' })).getTracks([
        'a',
      ]),
  },
  spotify_client_invalid: {
    kind: 'permanent',
    scope: 'run',
    raise: () =>
      realClient({ clientSecret: 'not-the-secret-0123', refreshToken: undefined }).getTracks([trackId()]),
  },
  reauth_required: {
    kind: 'permanent',
    scope: 'account',
    raise: async () => {
      // A consent six months old: the fake answers invalid_grant ("Refresh token expired").
      const client = realClient()
      fake.fake.advanceClock(190 * 86_400_000)
      try {
        return await client.getCurrentUser()
      } finally {
        fake.fake.reset()
      }
    },
  },
  spotify_auth_refused: {
    kind: 'permanent',
    scope: 'run',
    raise: () =>
      scriptedClient(() => Response.json({}), {
        token: () =>
          Response.json({ error: 'unauthorized_client', error_description: 'not allowed' }, { status: 400 }),
      }).getTracks(['a']),
  },
  spotify_unauthorized: {
    kind: 'transient',
    scope: 'unit',
    raise: () => scriptedClient(() => apiError(401, 'Invalid access token')).getTracks(['a']),
  },
  spotify_config_invalid: {
    kind: 'permanent',
    scope: 'run',
    // A user-only endpoint on a client without a refresh token.
    raise: () => realClient({ refreshToken: undefined }).getCurrentUser(),
  },
  spotify_not_found: {
    kind: 'permanent',
    scope: 'unit',
    raise: () => realClient().getPlaylist('0000000000000000000000'),
  },
  spotify_forbidden: {
    kind: 'permanent',
    scope: 'unit',
    raise: async () => {
      const { catalog } = fake.fake
      const other = catalog.playlists.find((p) => p.ownerId !== catalog.user.id && !p.editorial)
      const pages = realClient().playlistItems(other?.id ?? '')
      for await (const _ of pages) {
        // The first page already answers 403.
      }
    },
  },
  spotify_bad_request: {
    kind: 'permanent',
    scope: 'unit',
    raise: () => scriptedClient(() => apiError(400, 'Invalid base62 id')).getTracks(['a']),
  },
  spotify_token_response_invalid: {
    kind: 'permanent',
    scope: 'run',
    raise: () =>
      scriptedClient(() => Response.json({}), { token: () => Response.json({ hello: 1 }) }).getTracks(['a']),
  },
  spotify_response_unreadable: {
    kind: 'transient',
    scope: 'unit',
    raise: () => scriptedClient(() => new Response('{"tracks": [', { status: 200 })).getTracks(['a']),
  },
  spotify_payload_off_schema: {
    kind: 'permanent',
    scope: 'unit',
    raise: () => scriptedClient(() => Response.json({ tracks: 'not a list' })).getTracks(['a']),
  },
  spotify_unavailable: {
    kind: 'transient',
    scope: 'unit',
    raise: () => scriptedClient(() => apiError(503, 'Service unavailable')).getTracks(['a']),
  },
  spotify_timeout: {
    kind: 'transient',
    scope: 'unit',
    raise: () => scriptedClient(() => new Promise<Response>(() => {})).getTracks(['a']),
  },
  s3_unavailable: {
    kind: 'transient',
    scope: 'unit',
    raise: () =>
      createLakeStore({ ...s3, endpoint: 'http://127.0.0.1:9', retries: 0 }).put('runs/x.json', '{}'),
  },
  s3_access_denied: {
    kind: 'permanent',
    scope: 'run',
    // s3rver accepts any signature (see DESIGN: local tool quirks): a scripted S3 refuses like AWS does.
    raise: () => refusingStore(403, 'SignatureDoesNotMatch').put('runs/x.json', '{}'),
  },
  s3_bucket_missing: {
    kind: 'permanent',
    scope: 'run',
    raise: () => createLakeStore({ ...s3, bucket: 'no-such-bucket', retries: 0 }).get('runs/x.json'),
  },
  s3_endpoint_misconfigured: {
    kind: 'permanent',
    scope: 'run',
    raise: () => refusingStore(400, 'AuthorizationHeaderMalformed').put('runs/x.json', '{}'),
  },
  s3_object_missing: {
    kind: 'permanent',
    scope: 'unit',
    raise: () => createLakeStore({ ...s3, retries: 0 }).asyncBuffer('tables/none.parquet'),
  },
  s3_request_refused: {
    kind: 'permanent',
    scope: 'unit',
    raise: () => refusingStore(413, 'EntityTooLarge').put('raw/x.json.gz', 'x'),
  },
  config_invalid: {
    kind: 'permanent',
    scope: 'run',
    raise: async () => {
      // The shape of the Worker's ConfigError (apps/worker/src/config.ts), which this package cannot import.
      const error = new Error('invalid worker configuration: SPOTIFY_CLIENT_SECRET: required (a secret)')
      error.name = 'ConfigError'
      throw error
    },
  },
  spotify_error: {
    kind: 'transient',
    scope: 'unit',
    raise: async () => {
      const { SpotifyError } = await import('@spotify-lake/spotify-client')
      throw new SpotifyError('a kind of failure added to the client later')
    },
  },
  internal_error: {
    kind: 'transient',
    scope: 'unit',
    raise: async () => {
      throw new TypeError('Queue send failed: internal error')
    },
  },
}

describe('the failure table', () => {
  it('is the table docs/architecture.md shows: every row, with its kind and scope', () => {
    const doc = readFileSync(
      decodeURIComponent(new URL('../../../docs/architecture.md', import.meta.url).pathname),
      'utf8',
    )
    for (const rule of FAILURE_RULES) {
      expect(doc, rule.reason).toContain(`| \`${rule.reason}\` | ${rule.kind} | ${rule.scope} |`)
    }
  })

  it('has one test case per row, and one row per reason', () => {
    const reasons = FAILURE_RULES.map((r) => r.reason)
    expect(new Set(reasons).size).toBe(reasons.length)
    expect(reasons.toSorted()).toEqual(Object.keys(CASES).toSorted())
    for (const rule of FAILURE_RULES) expect(rule.action.length, rule.reason).toBeGreaterThan(10)
  })

  it.each(FAILURE_RULES.map((r) => r.reason))('%s', async (reason) => {
    const { kind, scope, raise } = CASES[reason] as Case
    const error = await raise().then(
      () => new Error('expected an error'),
      (e: unknown) => e,
    )
    const failure = classifyFailure(error)
    expect(failure, failure.message).toMatchObject({ reason, kind, scope })
    expect(failure.message.length).toBeLessThanOrEqual(500)
    for (const secret of ['not-the-secret-0123', 'client-secret-0123', 'store-secret-0123'])
      expect(failure.message).not.toContain(secret)
    if (kind === 'defer') expect(failure.retryAt?.getTime()).toBeGreaterThan(Date.now() + 7000_000)
  })
})
