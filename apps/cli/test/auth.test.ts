/** @module `lake auth` against the local fake's accounts service: the whole PKCE consent over real HTTP. */
import { createServer } from 'node:net'
import { createSpotifyClient } from '@spotify-lake/spotify-client'
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createAuthCommand } from '../src/commands/auth.ts'
import { freePort } from '../src/local/ports.ts'
import { captureIo } from './support/capture.ts'

let fake: RunningFakeSpotify
beforeAll(async () => {
  fake = await startFakeSpotify({ seed: 1, playlists: 1, itemsPerPlaylist: 1 })
})
afterAll(() => fake.close())

/** What a browser does with the authorize URL: follow Spotify's redirect to the loopback callback. */
async function consent(url: string, tamper?: (callback: URL) => void): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' })
  const location = res.headers.get('location')
  if (!location) throw new Error(`authorize answered ${res.status} without a redirect`)
  const callback = new URL(location)
  tamper?.(callback)
  await fetch(callback)
}

async function auth(
  args: string[],
  tamper?: (callback: URL) => void,
  { withSecret = true }: { withSecret?: boolean } = {},
) {
  const io = captureIo()
  const { clientId, clientSecret } = fake.fake.credentials
  const command = createAuthCommand({
    env: {
      SPOTIFY_CLIENT_ID: clientId,
      ...(withSecret ? { SPOTIFY_CLIENT_SECRET: clientSecret } : {}),
      SPOTIFY_ACCOUNTS_BASE_URL: fake.url,
    },
    onAuthorizeUrl: (url) => void consent(url, tamper),
  })
  const code = await runLake({ argv: ['auth', ...args], io, commands: [command] })
  return { code, out: io.out(), err: io.err() }
}

/** Refreshes twice with the printed token: the answer says whether Spotify rotated it. */
async function refreshTwice(refreshToken: string, clientSecret?: string) {
  const { clientId } = fake.fake.credentials
  const form = (token: string) =>
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: clientId })
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    ...(clientSecret ? { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` } : {}),
  }
  const first = (await (
    await fetch(`${fake.url}/api/token`, { method: 'POST', headers, body: form(refreshToken) })
  ).json()) as {
    refresh_token?: string
  }
  const again = await fetch(`${fake.url}/api/token`, { method: 'POST', headers, body: form(refreshToken) })
  return { rotated: first.refresh_token !== undefined, reusable: again.status === 200 }
}

describe('lake auth', () => {
  it('with the client secret: the confidential flow (no PKCE), a token that does not rotate', async () => {
    const port = await freePort()
    const { code, out, err } = await auth(['--port', String(port)])
    expect(code).toBe(0)
    const refreshToken = out.trim()
    expect(refreshToken).toMatch(/^\S{16,}$/)
    expect(err).toContain(`redirect: http://127.0.0.1:${port}/callback`)
    expect(err).not.toContain('code_challenge')
    expect(err).toContain('Flow: Authorization Code (confidential: client secret)')
    expect(err).toMatch(/Spotify ends this consent on \d{4}-\d{2}-\d{2}/)
    expect(await refreshTwice(refreshToken, fake.fake.credentials.clientSecret)).toEqual({
      rotated: false,
      reusable: true,
    })
  })

  it('without it: Authorization Code + PKCE; the token works and rotates at every refresh', async () => {
    const port = await freePort()
    const { code, out, err } = await auth(['--port', String(port)], undefined, { withSecret: false })
    expect(code).toBe(0)
    const refreshToken = out.trim()
    expect(err).toContain('code_challenge_method=S256')
    expect(err).toContain('Authorization Code + PKCE')
    // The printed token works: a user-token call through the real client succeeds.
    const client = createSpotifyClient({
      ...fake.fake.credentials,
      refreshToken,
      mode: 'development',
      apiBaseUrl: `${fake.url}/v1`,
      accountsBaseUrl: fake.url,
    })
    const me = await client.getCurrentUser()
    expect(me.data.id).toBe(fake.fake.catalog.user.id)
    expect(fake.fake.requests.some((r) => r.grantType === 'authorization_code' && r.status === 200)).toBe(
      true,
    )
    // The client's refresh rotated it: the printed token is single-use.
    expect((await refreshTwice(refreshToken)).reusable).toBe(false)
  })

  it('refuses a callback whose state does not match', async () => {
    const port = await freePort()
    const { code, out, err } = await auth(['--port', String(port)], (cb) =>
      cb.searchParams.set('state', 'forged'),
    )
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toMatch(/state does not match/)
  })

  it('says so when the port is taken, and asks for a client id', async () => {
    const blocker = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => blocker.once('listening', r))
    const port = (blocker.address() as { port: number }).port
    const taken = await auth(['--port', String(port)])
    blocker.close()
    expect(taken.code).toBe(1)
    expect(taken.err).toContain(`port ${port} on 127.0.0.1 is in use`)

    const io = captureIo()
    const code = await runLake({ argv: ['auth'], io, commands: [createAuthCommand({ env: {} })] })
    expect(code).toBe(2)
    expect(io.err()).toContain('pass --client-id or set SPOTIFY_CLIENT_ID')
  })
})
