/** @module Tests of the fake inside workerd: app.fetch in the isolate and the Node-hosted fakes over 127.0.0.1. */
import { describe, expect, inject, it } from 'vitest'
import { createFakeSpotify } from '../../src/fake/index.ts'

type Json = Record<string, unknown>
const basic = `Basic ${btoa('fake-client-id:fake-client-secret')}`
const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }

describe('fake Spotify inside workerd', () => {
  it('runs in workerd via app.fetch: tokens, paging with absolute links, the development shape', async () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
    const fake = createFakeSpotify({ seed: 'workerd', sizes: [120, 5] })
    const origin = 'http://fake.internal'
    const call = (path: string, init?: RequestInit) => fake.app.fetch(new Request(`${origin}${path}`, init))
    const tokenRes = await call('/api/token', {
      method: 'POST',
      headers: form,
      body: 'grant_type=refresh_token&refresh_token=fake-refresh-token',
    })
    expect(tokenRes.status).toBe(200)
    const { access_token } = (await tokenRes.json()) as { access_token: string }
    const playlist = fake.catalog.playlists[0]
    if (!playlist) throw new Error('no playlist')
    let next: string | null = `${origin}/v1/playlists/${playlist.id}/items?limit=50`
    const pages: Json[] = []
    while (next) {
      const res = await fake.app.fetch(
        new Request(next, { headers: { authorization: `Bearer ${access_token}` } }),
      )
      expect(res.status).toBe(200)
      const page = (await res.json()) as Json & { next: string | null }
      pages.push(page)
      next = page.next
    }
    expect(pages).toHaveLength(3)
    expect(pages[1]?.href).toBe(`${origin}/v1/playlists/${playlist.id}/items?offset=50&limit=50`)
    expect(pages[2]?.items).toHaveLength(20)
    expect(pages[0]).toHaveProperty(['items', 0, 'item'])
    expect(fake.requests.map((r) => r.auth)).toEqual(['none', 'user', 'user', 'user'])
  })

  it('serves faults in workerd too (truncated body breaks the read)', async () => {
    const fake = createFakeSpotify({ seed: 'workerd', faults: { truncatedBody: { rate: 1 } } })
    const tokenRes = await fake.app.fetch(
      new Request('http://fake.internal/api/token', {
        method: 'POST',
        headers: form,
        body: 'grant_type=client_credentials',
      }),
    )
    const { access_token } = (await tokenRes.json()) as { access_token: string }
    const res = await fake.app.fetch(
      new Request(`http://fake.internal/v1/artists/${fake.catalog.artists[0]?.id}`, {
        headers: { authorization: `Bearer ${access_token}` },
      }),
    )
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
  })

  it('reaches the Node-hosted fakes over real HTTP from workerd (both modes)', async () => {
    const results: Record<string, Json> = {}
    for (const [name, url] of [
      ['development', inject('fakeSpotifyUrl')],
      ['extended', inject('fakeSpotifyExtendedUrl')],
    ] as const) {
      const tokenRes = await fetch(`${url}/api/token`, {
        method: 'POST',
        headers: form,
        body: 'grant_type=refresh_token&refresh_token=fake-refresh-token',
      })
      const { access_token } = (await tokenRes.json()) as { access_token: string }
      const catalog = (await (await fetch(`${url}/__fake/catalog`)).json()) as {
        playlists: { id: string; owner: string }[]
      }
      const mine = catalog.playlists.find((p) => p.owner === 'fake-user')
      const res = await fetch(`${url}/v1/playlists/${mine?.id}`, {
        headers: { authorization: `Bearer ${access_token}` },
      })
      expect(res.status).toBe(200)
      results[name] = (await res.json()) as Json
    }
    expect(results.development).toHaveProperty('items.items')
    expect(results.extended).toHaveProperty('tracks.items')
    expect(String((results.development?.items as Json | undefined)?.href)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v1\/playlists\//,
    )
  })
})
