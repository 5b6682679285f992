/** @module The local dashboard's HTTP contract over a real DuckDB lake: sign-in, the insight API, refusals, headers. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTENT_SECURITY_POLICY, columnsOf, PANELS, SESSION_COOKIE } from '@spotify-lake/dashboard'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DashboardServer, serveDashboard } from '../src/dashboard/serve.ts'
import { resultObjects } from '../src/query/format.ts'
import { listInsights } from '../src/query/insights.ts'
import { fixtureFiles, openLakeOf } from './support/query-lake.ts'
import { Oracle } from './support/query-oracle.ts'

const TOKEN = 'test-dashboard-token-0123456789'
let lake: Awaited<ReturnType<typeof openLakeOf>>
let server: DashboardServer
let outdir: string

beforeAll(async () => {
  lake = await openLakeOf(fixtureFiles())
  outdir = await mkdtemp(join(tmpdir(), 'lake-dashboard-'))
  server = await serveDashboard({ db: lake.db, outdir, source: 'the test lake', token: TOKEN })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await lake?.close()
  await rm(outdir, { recursive: true, force: true })
})

const get = (path: string, cookie?: string) =>
  fetch(new URL(path, server.url), { headers: cookie ? { cookie } : {}, redirect: 'manual' })

async function signIn(token = TOKEN, headers: Record<string, string> = {}) {
  return fetch(new URL('/login', server.url), {
    method: 'POST',
    body: new URLSearchParams({ token }),
    headers,
    redirect: 'manual',
  })
}

async function session(): Promise<string> {
  const res = await signIn()
  const cookie = res.headers.get('set-cookie') ?? ''
  return cookie.split(';')[0]!
}

describe('the local dashboard server', () => {
  it('gives no data without a session: 401 and an error, never rows', async () => {
    const res = await get('/api/insights/listening-minutes-per-day')
    expect(res.status).toBe(401)
    const body = await res.json()
    expect(body).toEqual({ error: 'not signed in', action: 'sign in at /login with the API token' })
    const forged = await get(
      '/api/insights/listening-minutes-per-day',
      `${SESSION_COOKIE}=v1.99999999999999.${'A'.repeat(43)}`,
    )
    expect(forged.status).toBe(401)
  })

  it('trades the right token for an HttpOnly, Secure, SameSite=Strict cookie; a wrong one for nothing', async () => {
    const wrong = await signIn('not-the-token')
    expect(wrong.status).toBe(303)
    expect(wrong.headers.get('location')).toBe('/login?failed=1')
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const right = await signIn()
    expect(right.status).toBe(303)
    expect(right.headers.get('location')).toBe('/')
    const cookie = right.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=v1\\.`))
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=Strict/)
    expect(cookie).not.toContain(TOKEN)
  })

  it('refuses a sign-in posted from another site', async () => {
    const res = await signIn(TOKEN, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it("answers an insight with DuckDB's rows for its SQL file", async () => {
    const cookie = await session()
    const oracle = new Oracle()
    for (const name of [
      'listening-minutes-per-day',
      'listening-heatmap',
      'playlist-size-over-time',
    ] as const) {
      const res = await get(`/api/insights/${name}`, cookie)
      expect(res.status, name).toBe(200)
      expect(res.headers.get('cache-control')).toBe('private, no-store')
      const body = (await res.json()) as { rows: unknown[] }
      expect(body).toMatchObject({ insight: name, source: 'the test lake' })
      expect(body.rows, name).toEqual(oracle[name]())
      const sql = (await listInsights()).find((i) => i.name === name)!.sql
      expect(body.rows).toEqual(resultObjects(await lake.db.query(sql)))
    }
  })

  it('says which insight is missing and what to do (404), also for names that are no file name', async () => {
    const cookie = await session()
    const res = await get('/api/insights/no-such-insight', cookie)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: 'no insight named "no-such-insight"',
      action: 'add sql/insights/no-such-insight.sql (`lake query --list-insights` lists the insights)',
    })
    expect((await get('/api/insights/..%2F..%2Fetc%2Fpasswd', cookie)).status).toBe(404)
  })

  it('serves the page only to a session, and every file with a strict Content-Security-Policy', async () => {
    const anonymous = await get('/')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe('/login')
    const cookie = await session()
    for (const path of [
      '/',
      '/login',
      '/app.js',
      '/login.js',
      '/style.css',
      '/api/insights/x',
      '/api/insights',
    ]) {
      const res = await get(path, cookie)
      expect(res.status, path).toBe(path === '/api/insights/x' ? 404 : 200)
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY)
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:/)
    const page = await (await get('/', cookie)).text()
    expect(page).toContain('<script type="module" src="/app.js"></script>')
    expect(page).not.toMatch(/<script>|style=/)
    expect((await get('/nothing-here')).status).toBe(404)
  })

  it('lists the insights there are, with their descriptions', async () => {
    const res = await get('/api/insights', await session())
    const { insights } = (await res.json()) as { insights: { name: string; description: string }[] }
    expect(insights.map((i) => i.name)).toEqual((await listInsights()).map((i) => i.name))
    expect(insights.find((i) => i.name === 'listening-heatmap')?.description).toMatch(/^Listening heatmap/)
    expect((await get('/api/insights')).status).toBe(401)
  })
})

describe('the panel declarations', () => {
  it('read only columns their insight returns, for every insight that exists', async () => {
    const insights = await listInsights()
    const declared = PANELS.filter((p) => insights.some((i) => i.name === p.insight))
    expect(declared.map((p) => p.insight)).toEqual(
      expect.arrayContaining([
        'listening-minutes-per-day',
        'listening-heatmap',
        'new-artists-per-month',
        'playlist-size-over-time',
      ]),
    )
    for (const panel of declared) {
      const sql = insights.find((i) => i.name === panel.insight)!.sql
      const { columns } = await lake.db.query(`SELECT * FROM (${sql}) AS i LIMIT 0`)
      expect([panel.id, columnsOf(panel).filter((c) => !columns.includes(c))]).toEqual([panel.id, []])
    }
  })
})
