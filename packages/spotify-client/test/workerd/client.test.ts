/** @module The client inside workerd, over real HTTP to the Node-hosted fakes: mode detection, paging, batching, minimum calls. */
import { describe, expect, inject, it } from 'vitest'
import { buildCatalog } from '../../src/fake/index.ts'
import { collect, createPkcePair, createSpotifyClient, pkceChallenge } from '../../src/index.ts'
import { runCatalogFlows } from '../client/support/catalog-flows.ts'
import { minimumCalls, readablePlaylists } from '../client/support/catalog-math.ts'

// The globalSetup starts both fakes with seed 1 and the default catalog: the same catalog, rebuilt here.
const catalog = buildCatalog({ seed: 1 })
const urls = { development: inject('fakeSpotifyUrl'), extended: inject('fakeSpotifyExtendedUrl') } as const

/** A fresh consent per client: the fake's PKCE-issued refresh tokens are single-use, as Spotify's. */
const consent = async (url: string): Promise<string> => {
  const res = await fetch(`${url}/__fake/consent`, { method: 'POST', body: '{}' })
  return ((await res.json()) as { refresh_token: string }).refresh_token
}

const clientFor = async (url: string) =>
  createSpotifyClient({
    clientId: 'fake-client-id',
    clientSecret: 'fake-client-secret',
    refreshToken: await consent(url),
    apiBaseUrl: `${url}/v1`,
    accountsBaseUrl: url,
  })

describe('spotify-client in workerd', () => {
  it('runs inside workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
  })

  it.each(['development', 'extended'] as const)(
    'detects %s mode over HTTP and fetches the catalog with the minimum number of calls',
    async (mode) => {
      const client = await clientFor(urls[mode])
      expect(await client.detectMode()).toBe(mode)
      await runCatalogFlows(client, catalog, mode)
      const expected = minimumCalls(catalog, mode)
      // `auto` pays one Get Several Tracks probe on top of the minimum.
      expected['GET /tracks'] = (expected['GET /tracks'] ?? 0) + 1
      const stats = client.stats()
      expect(stats.byEndpoint).toEqual(expected)
      expect(stats.retries).toBe(0)
      expect(stats.bytes).toBeGreaterThan(0)
    },
  )

  it('reads a playlist, its snapshot id and the user’s playlists with the user token', async () => {
    const client = await clientFor(urls.development)
    const [playlist] = readablePlaylists(catalog, 'development')
    const full = await client.getPlaylist(playlist?.id ?? '')
    expect(full.data.items?.total).toBe(playlist?.entries.length)
    expect((await client.getPlaylistSnapshotId(playlist?.id ?? '')).data).toBe(full.data.snapshot_id)
    const mine = await collect(client.myPlaylists())
    expect(mine.flatMap((p) => p.data.items).map((p) => p?.id)).toEqual(catalog.playlists.map((p) => p.id))
  })

  it('makes PKCE pairs with Web Crypto', async () => {
    await expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
    const pair = await createPkcePair()
    expect(pair.codeChallenge).toBe(await pkceChallenge(pair.codeVerifier))
  })
})
