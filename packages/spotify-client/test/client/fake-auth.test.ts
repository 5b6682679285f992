/** @module Token life cycle against the fake Spotify over real HTTP: expiry, early revocation, rotation, refusal. */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { collect, SpotifyAuthError } from '../../src/index.ts'
import { readablePlaylists, startHarness } from './support/fake-harness.ts'

describe('tokens over HTTP', () => {
  it('refreshes a token before it expires instead of waiting for a 401', async () => {
    const h = await startHarness({ client: { mode: 'development' } })
    const [playlist] = readablePlaylists(h.running.fake.catalog, 'development')
    const id = playlist?.id ?? ''
    await h.client.getPlaylistSnapshotId(id)
    h.clock.advance(3600_000)
    await h.client.getPlaylistSnapshotId(id)
    expect(h.apiRequests().map((r) => r.status)).toEqual([200, 200])
    const grants = h.running.fake.requests.filter((r) => r.path === '/api/token').map((r) => r.grantType)
    expect(grants).toEqual(['refresh_token', 'refresh_token'])
    expect(h.client.stats().tokenRefreshes).toBe(2)
  })

  it('gets a new token and retries once when Spotify revokes the current one early (401)', async () => {
    const h = await startHarness({ fake: { sizes: [120] }, client: { mode: 'development' } })
    const [playlist] = readablePlaylists(h.running.fake.catalog, 'development')
    const pages = h.client.playlistItems(playlist?.id ?? '')
    let items = 0
    for await (const page of pages) {
      items += page.data.items.length
      if (items === 50) h.running.fake.expireTokens()
    }
    expect(items).toBe(120)
    expect(h.apiRequests().map((r) => [r.status, r.auth])).toEqual([
      [200, 'user'],
      [401, 'invalid'],
      [200, 'user'],
      [200, 'user'],
    ])
    expect(h.client.stats()).toMatchObject({ calls: 4, retries: 1, tokenRefreshes: 2 })
  })

  it('reports a rotated refresh token, which then works while the old one is dead', async () => {
    const rotated: string[] = []
    const h = await startHarness({
      fake: { rotateRefreshToken: true },
      client: { mode: 'development', onRefreshTokenRotated: (token) => rotated.push(token) },
    })
    await collect(h.client.myPlaylists())
    expect(rotated).toHaveLength(1)
    expect(h.client.stats().refreshTokenRotations).toBe(1)

    const withOld = h.newClient({ clientSecret: undefined })
    const error = await collect(withOld.myPlaylists()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyAuthError)
    // A used-up refresh token is `invalid_grant`: only a new consent helps (the caller reads the code, not the text).
    expect((error as SpotifyAuthError).oauthError).toBe('invalid_grant')
    expect(inspect(error)).not.toContain(h.running.fake.credentials.refreshToken)

    const withNew = h.newClient({ refreshToken: rotated[0] ?? '' })
    const pages = await collect(withNew.myPlaylists())
    expect(pages[0]?.data.items.length).toBeGreaterThan(0)
  })

  it('turns a wrong client secret into SpotifyAuthError without leaking it', async () => {
    const h = await startHarness({
      client: { mode: 'development', clientSecret: 'wrong-secret-0123456789', refreshToken: undefined },
    })
    const error = await h.client
      .getTracks([h.running.fake.catalog.tracks[0]?.id ?? ''])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpotifyAuthError)
    expect(error).toMatchObject({ oauthError: 'invalid_client', status: 400 })
    expect(inspect(error, { depth: 5 })).not.toContain('wrong-secret-0123456789')
    expect(h.apiRequests()).toHaveLength(0)
  })
})
