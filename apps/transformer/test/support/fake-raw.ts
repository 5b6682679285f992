/** @module Raw envelopes of fake-catalog playlists: fetched from the local fake Spotify exactly as the extractor would store them. */
import type { RawEnvelope } from '@spotify-lake/schemas'
import { createFakeSpotify, type FakePlaylistEntry } from '@spotify-lake/spotify-client/fake'

export interface FakePlaylistRaw {
  envelope: RawEnvelope
  playlistId: string
  /** Items Spotify says the playlist has (the reconciliation's ground truth). */
  total: number
  /** What the fake put at each position: the ground truth rows are checked against. */
  entries: FakePlaylistEntry[]
}

/**
 * One playlist of `size` items as one raw object: GET /playlists/{id}, then every page of
 * /playlists/{id}/items after the first page the playlist response already holds.
 */
export async function fakePlaylistRaw({
  size,
  seed = 'transformer',
  runId,
  dt,
  pageSize = 50,
  catalog = {},
}: {
  size: number
  seed?: string
  runId: string
  dt: string
  pageSize?: number
  /** Catalog size: the fake's defaults are small, so a big playlist repeats a few hundred tracks. */
  catalog?: { tracks?: number; albums?: number; artists?: number }
}): Promise<FakePlaylistRaw> {
  const fake = createFakeSpotify({
    seed,
    sizes: [size],
    mode: 'development',
    sleep: async () => {},
    ...catalog,
  })
  const { clientId, clientSecret, refreshToken } = fake.credentials
  const tokenRes = await fake.app.request('http://fake/api/token', {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  })
  const { access_token } = (await tokenRes.json()) as { access_token: string }
  const playlist = fake.catalog.playlists.find((p) => p.entries.length === size && !p.editorial)
  if (!playlist) throw new Error(`fake catalog has no ${size}-item playlist`)
  const responses: RawEnvelope['responses'] = []
  const get = async (endpoint: string, path: string, params: Record<string, string> = {}) => {
    const url = `https://api.spotify.com/v1${path}${Object.keys(params).length ? `?${new URLSearchParams(params)}` : ''}`
    const res = await fake.app.request(url.replace('https://api.spotify.com', 'http://fake'), {
      headers: { authorization: `Bearer ${access_token}` },
    })
    const body = await res.text()
    responses.push({ endpoint, url, params, status: res.status, fetchedAt: new Date().toISOString(), body })
    return JSON.parse(body) as { items?: { items: unknown[]; total: number } }
  }
  const first = await get('/playlists/{playlist_id}', `/playlists/${playlist.id}`)
  const total = first.items?.total ?? size
  for (let offset = first.items?.items.length ?? 0; offset < total; offset += pageSize) {
    await get('/playlists/{playlist_id}/items', `/playlists/${playlist.id}/items`, {
      offset: String(offset),
      limit: String(pageSize),
    })
  }
  return {
    playlistId: playlist.id,
    total,
    entries: playlist.entries,
    envelope: {
      v: 1,
      runId,
      dt,
      source: 'playlists',
      unit: { type: 'playlist', playlistId: playlist.id, offset: 0, part: 0 },
      apiMode: 'development',
      extractedAt: new Date().toISOString(),
      responses,
    },
  }
}
