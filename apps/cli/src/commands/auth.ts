/**
 * @module `lake auth`: a Spotify consent on a 127.0.0.1 redirect for local use; prints the refresh token.
 * The confidential Authorization Code flow (as the Worker's /connect) when the client secret is known,
 * Authorization Code + PKCE (a public client) without it.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { parseArgs } from 'node:util'
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  PIPELINE_SCOPES,
} from '@spotify-lake/spotify-client'
import { type Command, EXIT_OK, UsageError } from '../command.ts'
import { intOption } from './run.ts'

/** What the pipeline reads: playlists (also private and collaborative) and the user's library. */
export const DEFAULT_SCOPES = PIPELINE_SCOPES

const usage = `Usage: lake auth [--client-id ID] [--port 8888] [--scopes "a b c"] [--timeout SECONDS]

A consent of the Spotify user whose playlists the pipeline reads, for local use (\`lake run --local
--real\`) or to seed a Worker. A deployed Worker connects accounts itself: open <worker>/connect.
Add http://127.0.0.1:PORT/callback as a redirect URI of your Spotify app first (Spotify no longer
accepts localhost). Open the printed URL, approve, and the refresh token is printed on stdout: store it
as SPOTIFY_REFRESH_TOKEN (the Worker seeds its account from it once). Nothing is written to disk.
With SPOTIFY_CLIENT_SECRET set this is the confidential Authorization Code flow (the secret goes with the
code exchange, as on the Worker); without it, Authorization Code + PKCE, whose refresh tokens Spotify
rotates at every refresh. Either way Spotify ends the consent six months from now: consent again before.

Options:
  --client-id   the Spotify app's client id (default: SPOTIFY_CLIENT_ID)
  --port        loopback port of the redirect (default 8888)
  --scopes      space-separated scopes (default: ${DEFAULT_SCOPES.join(' ')})
  --timeout     give up after this many seconds (default 300)
  SPOTIFY_ACCOUNTS_BASE_URL points the flow at another accounts service (the local fake in tests).`

export interface AuthCommandOptions {
  env?: Readonly<Record<string, string | undefined>>
  /** Called with the URL the user must open (tests follow it like a browser would). */
  onAuthorizeUrl?: (url: string) => void
}

export function createAuthCommand({ env = process.env, onAuthorizeUrl }: AuthCommandOptions = {}): Command {
  return {
    name: 'auth',
    summary:
      'A Spotify consent on 127.0.0.1 (confidential, or PKCE without the secret); prints the refresh token.',
    usage,
    async run({ args, io }) {
      const { values } = parseArgs({
        args: [...args],
        strict: true,
        options: {
          'client-id': { type: 'string' },
          port: { type: 'string', default: '8888' },
          scopes: { type: 'string', default: DEFAULT_SCOPES.join(' ') },
          timeout: { type: 'string', default: '300' },
        },
      })
      const clientId = values['client-id'] ?? env.SPOTIFY_CLIENT_ID
      if (!clientId) throw new UsageError('a client id is needed: pass --client-id or set SPOTIFY_CLIENT_ID')
      const port = intOption('port', values.port, 1, 65_535)
      const timeoutMs = intOption('timeout', values.timeout, 1, 3600) * 1000
      const accountsBaseUrl = env.SPOTIFY_ACCOUNTS_BASE_URL || 'https://accounts.spotify.com'
      const redirectUri = `http://127.0.0.1:${port}/callback`
      const clientSecret = env.SPOTIFY_CLIENT_SECRET || undefined
      // Confidential when the secret is known (no PKCE: the secret proves the client), else public + PKCE.
      const pkce = clientSecret ? undefined : await createPkcePair()
      const state = randomBytes(16).toString('hex')
      const url = buildAuthorizeUrl({
        clientId,
        redirectUri,
        scopes: values.scopes.split(/\s+/).filter(Boolean),
        state,
        codeChallenge: pkce?.codeChallenge,
        accountsBaseUrl,
      })

      const code = await waitForCallback({
        port,
        state,
        timeoutMs,
        onListening: () => {
          io.stderr(`Open this URL in a browser and approve (redirect: ${redirectUri}):\n\n  ${url}\n\n`)
          onAuthorizeUrl?.(url)
        },
      })
      const consentedAt = new Date()
      const token = await exchangeAuthorizationCode({
        clientId,
        clientSecret,
        code,
        redirectUri,
        codeVerifier: pkce?.codeVerifier,
        accountsBaseUrl,
      })
      const expires = new Date(consentedAt)
      expires.setUTCMonth(expires.getUTCMonth() + 6)
      io.stderr(
        `Flow: ${clientSecret ? 'Authorization Code (confidential: client secret)' : 'Authorization Code + PKCE (public client: the refresh token rotates)'}\n` +
          `Granted scopes: ${token.scope ?? '(none reported)'}\n` +
          `Consented at ${consentedAt.toISOString()}: Spotify ends this consent on ${expires.toISOString().slice(0, 10)} ` +
          `(set SPOTIFY_CONSENTED_AT=${consentedAt.toISOString()} beside the token).\n` +
          'Refresh token (store it as SPOTIFY_REFRESH_TOKEN):\n',
      )
      io.stdout(`${token.refresh_token}\n`)
      return EXIT_OK
    },
  }
}

/** Serves GET /callback on 127.0.0.1 until Spotify redirects there with the code (state checked). */
function waitForCallback({
  port,
  state,
  timeoutMs,
  onListening,
}: {
  port: number
  state: string
  timeoutMs: number
  onListening: () => void
}): Promise<string> {
  return new Promise((resolve, reject) => {
    let server: Server | undefined
    const timer = setTimeout(() => finish(new Error(`no consent within ${timeoutMs / 1000} s`)), timeoutMs)
    const finish = (result: string | Error) => {
      clearTimeout(timer)
      server?.close()
      server?.closeAllConnections()
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
      if (url.pathname !== '/callback') {
        res.writeHead(404).end()
        return
      }
      const error = url.searchParams.get('error')
      const ok = !error && url.searchParams.get('state') === state && url.searchParams.get('code')
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(
        ok ? 'spotify-lake: consent received, you can close this tab.\n' : 'spotify-lake: consent failed.\n',
      )
      if (error) finish(new Error(`Spotify answered the consent with error: ${error}`))
      else if (url.searchParams.get('state') !== state)
        finish(new Error('callback state does not match (possible CSRF): try again'))
      else if (ok) finish(ok)
    })
    server.once('error', (err: NodeJS.ErrnoException) =>
      finish(
        new Error(
          err.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use: pass --port` : err.message,
        ),
      ),
    )
    server.listen(port, '127.0.0.1', onListening)
  })
}

export const authCommand = createAuthCommand()
