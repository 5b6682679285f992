/**
 * @module Setup file: a fresh consent per test file on both fakes. The fakes' refresh tokens are
 * single-use (PKCE-issued, as Spotify's), each file starts with empty Durable Object storage, and the
 * token broker seeds from SPOTIFY_REFRESH_TOKEN once per value: so each file seeds from its own new token.
 */
import { beforeAll, inject } from 'vitest'

declare global {
  var consents: { development: string; extended: string }
}

async function mint(url: string): Promise<string> {
  const res = await fetch(`${url}/__fake/consent`, { method: 'POST', body: '{}' })
  if (!res.ok) throw new Error(`fake consent: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { refresh_token: string }).refresh_token
}

beforeAll(async () => {
  const { development, extended } = inject('spotify')
  globalThis.consents = { development: await mint(development.url), extended: await mint(extended.url) }
})
