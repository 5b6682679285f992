/**
 * @module The dashboard's server side as hono routes, mounted by the CLI (insights on DuckDB) and by the
 * Worker (insights on Athena): the login form's POST, logout, and `GET /api/insights/:name`. The page's
 * own files are static (the CLI serves dist/, the Worker its static assets).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import {
  type ErrorResponse,
  INSIGHT_NAME,
  type InsightIndex,
  type InsightResponse,
  type InsightSummary,
  LOGIN_PATH,
  LOGOUT_PATH,
} from './contract.ts'
import { SECURITY_HEADERS } from './headers.ts'
import { createSession, SESSION_COOKIE, SESSION_TTL_SECONDS, secretsEqual, verifySession } from './session.ts'

/** The paths the routes answer (hono patterns): the Worker runs first on them (wrangler.jsonc). */
export const DASHBOARD_PATHS = ['/', LOGIN_PATH, LOGOUT_PATH, '/api/*'] as const

/** The insight's answer, or `undefined` when there is no insight of that name. Throws when the engine fails. */
export type RunInsight = (name: string, c: Context) => Promise<InsightResponse | undefined>

/** The insights there are (name and description), for `GET /api/insights`. */
export type ListInsights = (c: Context) => Promise<InsightSummary[]>

export interface DashboardRoutesOptions {
  runInsight: RunInsight
  listInsights: ListInsights
  /** The page itself (index.html), served only to a signed-in browser; others go to the login form. */
  servePage: (c: Context) => Response | Promise<Response>
  /** The API token: what the login form takes, and the key of the session cookie. */
  apiToken: (c: Context) => string
  /** Other proof of the operator besides the session (the Worker: a Bearer token, a Cloudflare Access JWT). */
  authorize?: (c: Context) => Promise<boolean>
  /** Logs an engine failure (the answer says only that it failed). */
  onError?: (error: unknown, name: string) => void
}

function refuse(c: Context, status: 401 | 403 | 404 | 502, body: ErrorResponse) {
  c.header('Cache-Control', 'no-store')
  return c.json(body, status)
}

/** A form post from another site (or a page it framed) is refused: login CSRF. */
function crossSite(c: Context): boolean {
  const site = c.req.header('sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') return true
  const origin = c.req.header('origin')
  return origin !== undefined && origin !== 'null' && origin !== new URL(c.req.url).origin
}

export function dashboardRoutes({
  runInsight,
  listInsights,
  servePage,
  apiToken,
  authorize,
  onError,
}: DashboardRoutesOptions) {
  const app = new Hono()

  // Only the dashboard's own paths: mounted in the Worker, the other routes keep their headers.
  const secure: MiddlewareHandler = async (c, next) => {
    await next()
    // A response from elsewhere (static assets) may have immutable headers: copy it first.
    c.res = new Response(c.res.body, c.res)
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value)
  }
  for (const path of DASHBOARD_PATHS) app.use(path, secure)

  const signedIn = async (c: Context) =>
    (await verifySession(getCookie(c, SESSION_COOKIE), apiToken(c))) || (authorize ? authorize(c) : false)

  app.post(LOGIN_PATH, async (c) => {
    if (crossSite(c)) return refuse(c, 403, { error: 'cross-site login refused' })
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const token = typeof form.token === 'string' ? form.token.trim() : ''
    const expected = apiToken(c)
    if (!token || !expected || !(await secretsEqual(token, expected))) {
      return c.redirect(`${LOGIN_PATH}?failed=1`, 303)
    }
    setCookie(c, SESSION_COOKIE, await createSession(expected), {
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      maxAge: SESSION_TTL_SECONDS,
    })
    return c.redirect('/', 303)
  })

  app.post(LOGOUT_PATH, (c) => {
    if (crossSite(c)) return refuse(c, 403, { error: 'cross-site logout refused' })
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
    return c.redirect(LOGIN_PATH, 303)
  })

  const notSignedIn = (c: Context) =>
    refuse(c, 401, { error: 'not signed in', action: `sign in at ${LOGIN_PATH} with the API token` })

  app.get('/', async (c) => {
    if (!(await signedIn(c))) return c.redirect(LOGIN_PATH, 302)
    const page = await servePage(c)
    const res = new Response(page.body, page)
    res.headers.set('Cache-Control', 'no-store')
    return res
  })

  app.get('/api/insights', async (c) => {
    if (!(await signedIn(c))) return notSignedIn(c)
    c.header('Cache-Control', 'private, no-store')
    return c.json({ insights: await listInsights(c) } satisfies InsightIndex)
  })

  app.get('/api/insights/:name', async (c) => {
    if (!(await signedIn(c))) return notSignedIn(c)
    const name = c.req.param('name')
    const missing: ErrorResponse = {
      error: `no insight named ${JSON.stringify(name)}`,
      action: `add sql/insights/${INSIGHT_NAME.test(name) ? name : '<name>'}.sql (\`lake query --list-insights\` lists the insights)`,
    }
    if (!INSIGHT_NAME.test(name)) return refuse(c, 404, missing)
    let answer: InsightResponse | undefined
    try {
      answer = await runInsight(name, c)
    } catch (error) {
      onError?.(error, name)
      return refuse(c, 502, {
        error: `the insight ${name} failed: ${error instanceof Error ? error.message : String(error)}`.slice(
          0,
          500,
        ),
        action:
          "try again; if it keeps failing, run it with `lake query --insight` to see the engine's message",
      })
    }
    if (!answer) return refuse(c, 404, missing)
    c.header('Cache-Control', 'private, no-store')
    return c.json(answer)
  })

  return app
}
