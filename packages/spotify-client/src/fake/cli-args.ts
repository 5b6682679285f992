/** @module Command-line options of the standalone fake (bin/fake-spotify.ts), parsed into startFakeSpotify options. */
import { parseArgs } from 'node:util'
import type { StartFakeSpotifyOptions } from './node.ts'
import type { FakeApiMode } from './render.ts'

export const FAKE_CLI_USAGE = `Usage: fake-spotify [options]
  --port <n>             port on 127.0.0.1 (default 8787; 0 = any free port)
  --host <name>          interface to bind (default 127.0.0.1)
  --mode <m>             development | extended (default development)
  --seed <s>             catalog seed (default 1)
  --playlists <n>        number of non-editorial playlists (default 4)
  --items <n>            items per playlist (default 20)
  --sizes <a,b,...>      item count of each playlist (overrides --playlists/--items)
  --users <n>            users who can consent, 1-5 (default 1)
  --expires-in <s>       access token lifetime in seconds (default 3600)
  --rotate-refresh-token rotate every refresh token (default: only PKCE-issued ones, as Spotify)
  --client-id <id>       (default fake-client-id)
  --client-secret <s>    (default fake-client-secret)
  --refresh-token <t>    initially valid refresh token (default fake-refresh-token)
Faults: set FAKE_SPOTIFY_FAULTS to JSON, e.g. '{"rateLimit":{"requests":10}}'.`

const integer = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text))
    throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(text)}`)
  return Number(text)
}

export const parseFakeCliArgs = (argv: string[]): StartFakeSpotifyOptions | 'help' => {
  const { values } = parseArgs({
    // `pnpm fake -- --port 1` passes the `--` through.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      mode: { type: 'string' },
      seed: { type: 'string' },
      playlists: { type: 'string' },
      items: { type: 'string' },
      sizes: { type: 'string' },
      users: { type: 'string' },
      'expires-in': { type: 'string' },
      'rotate-refresh-token': { type: 'boolean' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'refresh-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const mode = values.mode ?? 'development'
  if (mode !== 'development' && mode !== 'extended') {
    throw new Error(`--mode must be development or extended, got ${JSON.stringify(mode)}`)
  }
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  return defined({
    port: integer('port', values.port) ?? 8787,
    hostname: values.host,
    mode: mode as FakeApiMode,
    seed: values.seed,
    playlists: integer('playlists', values.playlists),
    itemsPerPlaylist: integer('items', values.items),
    sizes: values.sizes?.split(',').map((size) => integer('sizes', size.trim()) as number),
    users: integer('users', values.users),
    expiresIn: integer('expires-in', values['expires-in']),
    rotateRefreshToken: values['rotate-refresh-token'],
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    refreshToken: values['refresh-token'],
  }) as StartFakeSpotifyOptions
}
