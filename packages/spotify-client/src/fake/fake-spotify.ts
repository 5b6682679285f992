/** @module createFakeSpotify: one hono app serving the accounts endpoints, the /v1 API, faults and the /__fake admin API. */
import { type Context, Hono } from 'hono'
import { createAdminRoutes } from './admin-routes.ts'
import { createAuthRoutes, readText } from './auth.ts'
import { buildCatalog } from './catalog.ts'
import { mutatePlaylist } from './catalog-entries.ts'
import { releaseAlbums } from './catalog-release.ts'
import { createCatalogRoutes } from './catalog-routes.ts'
import type { FakeSpotify, FakeSpotifyOptions, RecordedRequest } from './fake-spotify-types.ts'
import { createFaultMiddleware, type FaultKind, parseFaults } from './faults.ts'
import { apiErrorResponse, SpotifyHttpError } from './http-errors.ts'
import { changeLibrary } from './library-changes.ts'
import { createLibraryRoutes } from './library-routes.ts'
import { playsBy, schedulePlays } from './listening.ts'
import { createPlaylistRoutes } from './playlist-routes.ts'
import type { FakeEnv, FakeRuntime } from './route-context.ts'
import {
  checkBearer,
  createTokenStore,
  type FakeSession,
  initialRefreshToken,
  mintRefreshToken,
  resolveAuthOptions,
} from './token-store.ts'

export type { FakeSpotify, FakeSpotifyOptions, RecordedRequest } from './fake-spotify-types.ts'

/**
 * Endpoints a development-mode app lost (Nov 2024 and Feb/Mar 2026). The fake answers them 403 with the Spotify
 * error object; one table so the status can follow what real traffic shows.
 */
const REMOVED_IN_DEVELOPMENT: RegExp[] = [
  /^\/v1\/(tracks|albums|artists)$/,
  /^\/v1\/playlists\/[^/]+\/tracks$/,
  /^\/v1\/users\/[^/]+\/playlists$/,
  /^\/v1\/artists\/[^/]+\/(top-tracks|related-artists)$/,
  /^\/v1\/browse\/.*/,
  /^\/v1\/markets$/,
  /^\/v1\/recommendations.*/,
  /^\/v1\/audio-(features|analysis).*/,
]

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const createFakeSpotify = (options: FakeSpotifyOptions = {}): FakeSpotify => {
  const { mode = 'development', faults = {}, baseUrl, now: baseNow = Date.now, sleep = realSleep } = options
  let clockOffset = 0
  const now = () => baseNow() + clockOffset
  if (mode !== 'development' && mode !== 'extended') {
    throw new Error(`createFakeSpotify: mode must be 'development' or 'extended', got ${String(mode)}`)
  }
  parseFaults(faults)
  let catalog = buildCatalog(options)
  const auth = resolveAuthOptions(options)
  const accountIds = catalog.accounts.map((a) => a.id)
  const store = createTokenStore({ options: auth, userIds: accountIds, now: now() })
  const session: FakeSession = { userId: catalog.user.id, deny: false }
  const requests: RecordedRequest[] = []
  const runtime: FakeRuntime = { catalog: () => catalog, mode, baseUrl, now }
  const app = new Hono<FakeEnv>()

  const markFault = (c: Context, kind: FaultKind) => {
    const list = (c.get('faults') as FaultKind[] | undefined) ?? []
    c.set('faults', [...list, kind])
  }
  const { engine, middleware: faultMiddleware } = createFaultMiddleware({
    seed: catalog.seed,
    initial: faults,
    now,
    sleep,
    onFault: markFault,
  })

  app.onError((err) => {
    if (err instanceof SpotifyHttpError) return apiErrorResponse(err)
    return apiErrorResponse({ status: 500, message: `Server error: ${err.message}` })
  })
  app.notFound(() => apiErrorResponse({ status: 404, message: 'Service not found' }))

  // Request log: everything except the admin API.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/__fake/')) return next()
    // Classified up front so requests answered by a fault are still logged with how the caller authenticated.
    const header = c.req.header('authorization')
    const check = checkBearer({ store, header, now: now() })
    c.set('auth', check.ok ? check.grant.kind : header?.startsWith('Bearer ') ? 'invalid' : 'none')
    c.set('faults', [])
    const grantType =
      c.req.path === '/api/token'
        ? new URLSearchParams(await readText(c.req.raw.clone())).get('grant_type')
        : null
    await next()
    requests.push({
      method: c.req.method,
      path: c.req.path,
      query: Object.fromEntries(new URL(c.req.url).searchParams),
      status: c.res.status,
      auth: c.get('auth'),
      ...(grantType ? { grantType } : {}),
      faults: c.get('faults'),
      timestamp: new Date(now()).toISOString(),
    })
  })
  app.use('/v1/*', faultMiddleware)
  app.use('/api/*', faultMiddleware)
  app.use('/v1/*', async (c, next) => {
    const check = checkBearer({ store, header: c.req.header('authorization'), now: now() })
    if (!check.ok) return apiErrorResponse({ status: 401, message: check.message })
    c.set('grant', check.grant)
    if (mode === 'development' && REMOVED_IN_DEVELOPMENT.some((re) => re.test(c.req.path))) {
      return apiErrorResponse({ status: 403, message: 'Forbidden' })
    }
    return next()
  })

  const fake: FakeSpotify = {
    app,
    get catalog() {
      return catalog
    },
    mode,
    credentials: {
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      refreshToken: auth.refreshToken,
      refreshTokens: Object.fromEntries(
        accountIds.map((id, i) => [id, initialRefreshToken(auth.refreshToken, i)]),
      ),
    },
    requests,
    setFaults: (next) => engine.set(next),
    mutatePlaylist: (id, change = {}) => mutatePlaylist({ catalog, id, ...change }),
    releaseAlbums: (playlistId, release) => releaseAlbums({ catalog, playlistId, ...release }).playlist,
    expireTokens: () => {
      for (const grant of store.access.values()) grant.expiresAt = Math.min(grant.expiresAt, now())
    },
    consent: ({ userId = catalog.user.id, flow = 'pkce' } = {}) => {
      if (!accountIds.includes(userId)) throw new Error(`no consenting user ${userId}`)
      return mintRefreshToken({ store, options: auth, userId, now: now(), flow })
    },
    signIn: (userId, { deny = false } = {}) => {
      if (!accountIds.includes(userId)) throw new Error(`no consenting user ${userId}`)
      session.userId = userId
      session.deny = deny
    },
    issuedSecrets: () => [
      auth.clientSecret,
      ...store.usedCodes,
      ...store.access.keys(),
      ...store.refresh.keys(),
      ...store.revoked,
      ...store.codes.keys(),
    ],
    advanceClock: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`advanceClock: ms must be >= 0, got ${ms}`)
      clockOffset += ms
    },
    now,
    listen: (session) => schedulePlays({ catalog, session, now: now() }),
    playsSoFar: () => playsBy(catalog.library, now()),
    changeLibrary: (change) => changeLibrary({ catalog, change, now: now() }),
    reset: () => {
      requests.length = 0
      engine.reset(faults)
      catalog = buildCatalog(options)
      clockOffset = 0
      session.userId = catalog.user.id
      session.deny = false
    },
  }

  app.route('/', createAdminRoutes({ fake }))
  app.route('/', createAuthRoutes({ options: auth, store, now, session }))
  app.route('/', createPlaylistRoutes({ runtime }))
  app.route('/', createCatalogRoutes({ runtime }))
  app.route('/', createLibraryRoutes({ runtime }))
  return fake
}
