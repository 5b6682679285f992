/** @module The local stack: S3 server, fake (or real) Spotify, both Workers under `wrangler dev`. */
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { buildDashboard, DASHBOARD_DIST } from '@spotify-lake/dashboard/build'
import type { PrefixGrant, WorkerName } from '@spotify-lake/lake-iam'
import {
  type Denial,
  type LocalS3,
  newLocalCredentialSet,
  type StartS3rverOptions,
  startS3rver,
} from '@spotify-lake/lake-store/testing'
import type { FakeFaults } from '@spotify-lake/spotify-client/fake'
import { type RunningFakeSpotify, startFakeSpotify } from '@spotify-lake/spotify-client/fake/node'
import { connectLocalAccounts, localTokenKey } from './accounts.ts'
import { parseJsonc } from './jsonc.ts'
import {
  cleanUpAfterKilledStack,
  forgetStack,
  privateFolder,
  recordStack,
  writePrivateFile,
} from './leftovers.ts'
import { ensurePortFree, freePort } from './ports.ts'
import { type ManagedProcess, onStop, startProcess } from './processes.ts'

export type ApiMode = 'development' | 'extended'

export interface LocalStackOptions {
  /** Repository root (apps/ and .lake/ live there). */
  root: string
  mode?: ApiMode
  seed?: number
  playlists?: number
  items?: number
  /** Sizes of the fake's catalog pools the playlists draw from (the fake's defaults: 120, 24, 12). */
  catalog?: { tracks?: number; albums?: number; artists?: number }
  /** Spotify accounts of the fake (1 to 5), each connected to the Worker: the first by the secret, the rest at /connect. */
  accounts?: number
  faults?: FakeFaults
  /** HTTP port of the worker (wrangler dev); 0 picks a free one (tests). */
  port?: number
  /**
   * Where the stack keeps its state (S3 data, wrangler's queues and Durable Objects, logs). Default:
   * $LAKE_STATE_DIR, else `<root>/.lake`. Tests pass a fresh temp folder so runs start from nothing.
   */
  stateDir?: string
  /** Real Spotify: credentials from SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET, SPOTIFY_REFRESH_TOKEN. */
  real?: boolean
  env?: NodeJS.ProcessEnv
  /** Progress lines for the user. */
  say?: (line: string) => void
  /** Also echo the Workers' own log lines. */
  verbose?: boolean
  /** Extra vars for the worker (e.g. a smaller CALL_BUDGET in tests). */
  workerVars?: Record<string, unknown>
  /**
   * Narrows a Worker's S3 grants below what infra deploys (tests of the denial path). By default each
   * Worker gets exactly its deployed policy, enforced by the local S3's IAM gate.
   */
  s3Grants?: Partial<Record<WorkerName, readonly PrefixGrant[]>>
  /** Every request the local S3 answered (benchmarks count each Worker's S3 requests with it). */
  onS3Request?: StartS3rverOptions['onRequest']
  /** Every line the Workers log, as it arrives (benchmarks read wrangler's per-invocation lines). */
  onWorkerLine?: (line: string) => void
  /**
   * A fake Spotify the caller runs, which outlives this stack (e.g. listening that goes on while the
   * stack restarts on the same `stateDir`); the stack uses it and leaves it running. Default: its own.
   */
  fakeSpotify?: RunningFakeSpotify
}

export interface LocalStack {
  workerUrl: string
  /** Bearer token of POST /refresh, made up for this session. */
  apiToken: string
  /** The local S3; `accessKeyId`/`secretAccessKey` are the operator's (the CLI's), each Worker has its own. */
  s3: Pick<
    LocalS3,
    'endpoint' | 'bucket' | 'accessKeyId' | 'secretAccessKey' | 'credentials' | 'directory' | 's3' | 'denials'
  >
  spotify: RunningFakeSpotify | undefined
  logFile: string
  /** When this stack started (ms since the epoch): runs with no activity since are a stopped stack's. */
  startedAt: number
  /** Restarts the S3 server on the same port and folder (chaos tests stop it mid-run). */
  stopS3(): Promise<void>
  startS3(): Promise<void>
  stop(): Promise<void>
}

/** Where the config copies live in the state folder (owner-only: they hold this session's secrets). */
const CONFIG_FOLDER = 'wrangler-config'

const APPS = [
  { dir: 'apps/worker', name: 'spotify-lake-worker' },
  { dir: 'apps/transformer', name: 'spotify-lake-transformer' },
] as const

export async function startLocalStack({
  root,
  mode = 'development',
  seed = 42,
  playlists = 5,
  items = 50,
  catalog = {},
  accounts = 1,
  faults,
  port = 8787,
  real = false,
  env = process.env,
  say = () => {},
  verbose = false,
  workerVars = {},
  s3Grants,
  onS3Request,
  onWorkerLine,
  fakeSpotify,
  stateDir = env.LAKE_STATE_DIR || join(root, '.lake'),
}: LocalStackOptions): Promise<LocalStack> {
  const logFile = join(stateDir, 'logs', 'wrangler.log')
  const startedAt = Date.now()
  const stops: (() => Promise<void>)[] = []
  const stopEverything = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {})
  }
  // Whatever stops the CLI (Ctrl-C, kill, the terminal closing), even half way through starting.
  const forget = onStop(stopEverything)

  try {
    // The lake holds personal listening data: the whole state folder is its owner's only, whatever umask.
    privateFolder(stateDir)
    // A stack killed outright (SIGKILL) left its wrangler running and its config copies on disk.
    for (const line of await cleanUpAfterKilledStack({ stateDir, configDir: join(stateDir, CONFIG_FOLDER) }))
      say(`cleaned up       ${line}`)
    const spotifyCreds = real ? realCredentials(env) : undefined
    if (port === 0) port = await freePort()
    else
      await ensurePortFree(port, '127.0.0.1', 'another `lake up` or wrangler dev may be running; pass --port')

    // S3: a real S3-protocol server; data persists in .lake/s3 so later runs add new dt partitions.
    const s3Dir = join(stateDir, 's3')
    mkdirSync(s3Dir, { recursive: true })
    const s3Port = await freePort()
    // Each Worker signs as its own IAM user and the gate holds it to the policy infra deploys for it; the
    // keys are made up for this session (the CLI, the operator, gets an admin key of the lake bucket).
    const deniedLog = join(stateDir, 'logs', 's3-denied.log')
    mkdirSync(dirname(deniedLog), { recursive: true })
    const s3Options: StartS3rverOptions = {
      port: s3Port,
      directory: s3Dir,
      bucket: 'spotify-lake',
      credentials: newLocalCredentialSet(),
      ...(s3Grants ? { grants: s3Grants } : {}),
      ...(onS3Request ? { onRequest: onS3Request } : {}),
      onDenied: (denial: Denial) => {
        const line = `${denial.at} S3 AccessDenied: ${denial.principal} may not ${denial.action} on ${denial.resource}`
        appendFileSync(deniedLog, `${line}\n`)
        say(line)
      },
    }
    let s3: LocalS3 = await startS3rver(s3Options)
    stops.push(() => s3.close())
    say(`S3 server        ${s3.endpoint} (data in ${s3Dir}; IAM: each Worker's deployed policy)`)

    let spotify: RunningFakeSpotify | undefined
    let spotifyVars: Record<string, string> = {}
    if (spotifyCreds) {
      spotifyVars = { ...spotifyCreds, SPOTIFY_API_MODE: 'auto' }
      say('Spotify          the real Web API (credentials from the environment)')
    } else if (fakeSpotify) {
      spotify = fakeSpotify
      say(`Spotify          the caller's fake at ${spotify.url} (kept running when this stack stops)`)
    } else {
      spotify = await startFakeSpotify({
        seed,
        playlists,
        itemsPerPlaylist: items,
        ...catalog,
        users: accounts,
        // A client secret of this session only: an e2e scan can tell it from the fake's documented default.
        clientSecret: `fake-client-secret-${randomBytes(16).toString('hex')}`,
        // A new consent each session: the broker seeds from a secret value once, and the last session's
        // tokens (kept in the wrangler state) are unknown to this fake.
        refreshToken: `fake-rt-session-${randomBytes(16).toString('hex')}`,
        mode,
        ...(faults ? { faults } : {}),
      })
      stops.push(() => spotify!.close())
      say(
        `Spotify          local fake at ${spotify.url} (${mode} mode, seed ${seed}, ${playlists} x ${items} items${accounts > 1 ? `, ${accounts} accounts` : ''})`,
      )
    }
    if (spotify) {
      spotifyVars = {
        SPOTIFY_CLIENT_ID: spotify.fake.credentials.clientId,
        SPOTIFY_CLIENT_SECRET: spotify.fake.credentials.clientSecret,
        SPOTIFY_REFRESH_TOKEN: spotify.fake.credentials.refreshToken,
        SPOTIFY_API_BASE_URL: `${spotify.url}/v1`,
        SPOTIFY_ACCOUNTS_BASE_URL: spotify.url,
        SPOTIFY_API_MODE: 'auto',
      }
    }

    const apiToken = randomBytes(24).toString('hex')
    const tokenKey = localTokenKey(privateFolder(join(stateDir, 'secrets')))
    const s3Vars = (worker: WorkerName) => ({
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.credentials[worker].accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials[worker].secretAccessKey,
    })
    // The worker serves the dashboard's built page as static assets: wrangler needs the folder.
    if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) await buildDashboard()
    const configs = APPS.map((app) =>
      writeLocalConfig(root, app.dir, stateDir, {
        ...s3Vars(app.name),
        ...(app.name === 'spotify-lake-worker'
          ? {
              ...spotifyVars,
              REFRESH_API_TOKEN: apiToken,
              TOKEN_ENCRYPTION_KEY: tokenKey,
              SOURCES: { playlists: [], myPlaylists: true },
              ...workerVars,
            }
          : {}),
      }),
    )
    stops.push(async () => {
      for (const file of configs) rmSync(file, { force: true })
    })
    stops.push(async () => forgetStack(stateDir))

    const wrangler = wranglerEntry(root)
    const inspectorPort = await freePort()
    say(`Workers          wrangler dev on http://127.0.0.1:${port} (log: ${logFile})`)
    const proc = startProcess({
      name: 'wrangler',
      command: process.execPath,
      args: [
        wrangler,
        'dev',
        ...configs.flatMap((c) => ['-c', c]),
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(inspectorPort),
        '--persist-to',
        join(stateDir, 'wrangler-state'),
        '--show-interactive-dev-session=false',
        '--log-level',
        'info',
      ],
      cwd: root,
      env: {
        ...env,
        WRANGLER_SEND_METRICS: 'false',
        CI: env.CI ?? '',
        FORCE_COLOR: '0',
        // wrangler dev's registry (default ~/.config/.wrangler/registry) links Workers of the same name across
        // sessions: another stack's spotify-lake-worker could answer this one's Durable Object or queue calls.
        WRANGLER_REGISTRY_PATH: join(stateDir, 'wrangler-registry'),
      },
      logFile,
      ...(verbose || onWorkerLine
        ? {
            onLine: (line: string) => {
              onWorkerLine?.(line)
              if (verbose) say(`  [workers] ${line}`)
            },
          }
        : {}),
    })
    stops.push(() => proc.stop())
    recordStack(stateDir, {
      cliPid: process.pid,
      wranglerPid: proc.pid,
      marker: configs[0]!,
      startedAt: new Date(startedAt).toISOString(),
    })
    const workerUrl = `http://127.0.0.1:${port}`
    await waitForHealth(workerUrl, proc)
    if (spotify) await connectLocalAccounts({ workerUrl, apiToken, fake: spotify.fake, say })

    return {
      workerUrl,
      apiToken,
      // A getter: after stopS3()/startS3() the server (and its SDK client) is a new one.
      get s3() {
        return s3
      },
      spotify,
      logFile,
      startedAt,
      async stopS3() {
        await s3.close()
      },
      async startS3() {
        s3 = await startS3rver(s3Options)
      },
      async stop() {
        await stopEverything()
        forget()
      },
    }
  } catch (err) {
    await stopEverything()
    forget()
    throw err
  }
}

function realCredentials(env: NodeJS.ProcessEnv): Record<string, string> {
  const missing = ['SPOTIFY_CLIENT_ID', 'SPOTIFY_CLIENT_SECRET', 'SPOTIFY_REFRESH_TOKEN'].filter(
    (k) => !env[k],
  )
  if (missing.length > 0) {
    throw new Error(
      `real Spotify mode needs ${missing.join(', ')} in the environment (see docs/deploy.md; \`lake auth\` prints a refresh token)`,
    )
  }
  return {
    SPOTIFY_CLIENT_ID: env.SPOTIFY_CLIENT_ID!,
    SPOTIFY_CLIENT_SECRET: env.SPOTIFY_CLIENT_SECRET!,
    SPOTIFY_REFRESH_TOKEN: env.SPOTIFY_REFRESH_TOKEN!,
  }
}

/**
 * wrangler dev applies --var only to the first Worker of a multi-config session, so each app gets a
 * generated config (owner-only: it holds this session's credentials). It lives in the stack's state
 * folder, not beside the app's own: wrangler dev reloads a Worker when its config file changes, so two
 * stacks (a user's `lake up` and the e2e tests) sharing one file would swap each other's secrets.
 */
function writeLocalConfig(
  root: string,
  appDir: string,
  stateDir: string,
  vars: Record<string, unknown>,
): string {
  const source = join(root, appDir, 'wrangler.jsonc')
  const config = parseJsonc(readFileSync(source, 'utf8')) as Record<string, unknown>
  delete config.$schema
  delete config.secrets
  config.main = join(root, appDir, String(config.main))
  // Paths in the config are relative to it: the copy lives elsewhere (the worker's dashboard assets).
  const assets = config.assets as { directory?: string } | undefined
  if (assets?.directory) config.assets = { ...assets, directory: join(root, appDir, assets.directory) }
  config.vars = { ...(config.vars as Record<string, unknown>), ...vars }
  const folder = privateFolder(join(stateDir, CONFIG_FOLDER))
  const file = join(folder, `${basename(appDir)}.jsonc`)
  writePrivateFile(file, `${JSON.stringify(config, null, 2)}\n`)
  return file
}

function wranglerEntry(root: string): string {
  const require = createRequire(join(root, 'apps/worker/package.json'))
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js')
}

async function waitForHealth(url: string, proc: ManagedProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  void proc.exited.then(() => {
    exited = true
  })
  while (Date.now() < deadline) {
    if (exited) throw new Error(`wrangler dev exited before the Workers were ready:\n${proc.tail()}`)
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the Workers did not answer ${url}/health within ${timeoutMs / 1000} s:\n${proc.tail()}`)
}
