/**
 * @module The dashboard served locally: the page's built files and `GET /api/insights/:name` over DuckDB,
 * the same routes and contract as the Worker (packages/dashboard). Every insight runs once, before the
 * server listens, and its answer is kept for the life of the server: the lake it opened does not change
 * under it.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { dashboardRoutes, type InsightResponse, LOGIN_PATH, SECURITY_HEADERS } from '@spotify-lake/dashboard'
import { buildDashboard, DASHBOARD_FILES } from '@spotify-lake/dashboard/build'
import { Hono } from 'hono'
import type { LakeDb } from '../query/duckdb.ts'
import { resultObjects } from '../query/format.ts'
import { DEFAULT_INSIGHTS_DIR, findInsight, listInsights } from '../query/insights.ts'

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

/** Paths of the page's files besides `/` (the routes serve it to a signed-in browser only). */
const ROUTES: Record<string, string> = {
  [LOGIN_PATH]: 'login.html',
  '/app.js': 'app.js',
  '/login.js': 'login.js',
  '/style.css': 'style.css',
}

export interface DashboardServer {
  /** http://host:port/ */
  url: string
  /** The sign-in link: the token rides in the fragment, which browsers never send to a server. */
  signInUrl: string
  close(): Promise<void>
}

export interface ServeDashboardOptions {
  db: LakeDb
  /** Where the page is built to (esbuild, a second or so). */
  outdir: string
  /** Names the lake in the answers' `source`. */
  source: string
  /** The token the login form takes; a random one for this server when absent. */
  token?: string
  port?: number
  host?: string
  insightsDir?: string
  /** Run every insight before listening, so the first page view is answered from the cache. */
  warm?: boolean
}

export async function serveDashboard({
  db,
  outdir,
  source,
  token = randomBytes(24).toString('base64url'),
  port = 0,
  host = '127.0.0.1',
  insightsDir = DEFAULT_INSIGHTS_DIR,
  warm = true,
}: ServeDashboardOptions): Promise<DashboardServer> {
  await buildDashboard({ outdir })
  const files = new Map<string, Buffer>()
  for (const file of DASHBOARD_FILES) files.set(file, await readFile(join(outdir, file)))

  // One DuckDB connection: queries run one after the other; each insight runs once.
  let queue: Promise<unknown> = Promise.resolve()
  const answers = new Map<string, Promise<InsightResponse | undefined>>()
  const run = async (name: string): Promise<InsightResponse | undefined> => {
    const insight = await findInsight({ name, dir: insightsDir })
    if (!insight) return undefined
    const result = await db.query(insight.sql)
    return {
      insight: name,
      columns: result.columns,
      rows: resultObjects(result),
      source,
      generatedAt: new Date().toISOString(),
    }
  }
  const runInsight = (name: string) => {
    let answer = answers.get(name)
    if (!answer) {
      answer = queue.then(() => run(name))
      queue = answer.catch(() => undefined)
      answers.set(name, answer)
      // A failure is not kept: the next request tries again.
      answer.catch(() => answers.delete(name))
    }
    return answer
  }

  if (warm) {
    // A failing insight is not fatal here: its panel shows the error, and the next request retries it.
    for (const { name } of await listInsights({ dir: insightsDir }))
      await runInsight(name).catch(() => undefined)
  }

  const app = new Hono()
  const asset = (file: string) => {
    const body = files.get(file)
    if (!body) return new Response('not found', { status: 404 })
    const type = CONTENT_TYPES[file.split('.').pop()!] ?? 'application/octet-stream'
    return new Response(new Uint8Array(body), {
      headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' },
    })
  }
  app.route(
    '/',
    dashboardRoutes({
      runInsight,
      listInsights: async () =>
        (await listInsights({ dir: insightsDir })).map(({ name, description }) => ({ name, description })),
      servePage: () => asset('index.html'),
      apiToken: () => token,
    }),
  )
  app.get('*', (c) => {
    const file = ROUTES[c.req.path]
    const res = file ? asset(file) : new Response('not found', { status: 404 })
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.headers.set(name, value)
    return res
  })

  const server = serve({ fetch: app.fetch, port, hostname: host })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`
  return {
    url,
    signInUrl: `${url.slice(0, -1)}${LOGIN_PATH}#token=${encodeURIComponent(token)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      }),
  }
}
