/**
 * @module The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core) against
 * the CLI's server over a DuckDB lake: every panel renders, its numbers are DuckDB's answer to the same
 * SQL file, the filters work, no console errors (CSP violations among them), and nothing without a
 * session. Screenshots go to apps/cli/test-artifacts/dashboard/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { columnsOf, PANELS, type Panel } from '@spotify-lake/dashboard'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DashboardServer, serveDashboard } from '../../src/dashboard/serve.ts'
import { resultObjects } from '../../src/query/format.ts'
import { listInsights } from '../../src/query/insights.ts'
import { fixtureFiles, openLakeOf } from '../support/query-lake.ts'
import { launchChromium } from './chromium.ts'

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url))
const TOKEN = 'browser-test-token-4f1c2a'

let lake: Awaited<ReturnType<typeof openLakeOf>>
let server: DashboardServer
let outdir: string
let browser: Browser
let context: BrowserContext
let page: Page
const problems: string[] = []

beforeAll(async () => {
  browser = await launchChromium()
  lake = await openLakeOf(fixtureFiles())
  outdir = await mkdtemp(join(tmpdir(), 'lake-dashboard-browser-'))
  server = await serveDashboard({ db: lake.db, outdir, source: 'the test lake', token: TOKEN })
  await mkdir(ARTIFACTS, { recursive: true })
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await lake?.close()
  if (outdir) await rm(outdir, { recursive: true, force: true })
})

/** DuckDB's answer to the panel's insight, as the page prints cells. */
async function duckDbRows(panel: Panel): Promise<string[][]> {
  const sql = (await listInsights()).find((i) => i.name === panel.insight)!.sql
  const where = Object.entries(panel.where ?? {})
  const rows = resultObjects(await lake.db.query(sql)).filter((r) =>
    where.every(([column, value]) => r[column] === value),
  )
  const text = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return rows.map((r) => columnsOf(panel).map((c) => text(r[c])))
}

/** The rows of a panel's data table, as shown. */
const shownRows = (panel: Panel) =>
  page.$$eval(`#panel-${panel.id} details table tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  )

describe('the dashboard in Chromium', () => {
  it('shows nothing without a session: the API answers 401 with no rows, the page sends you to sign in', async () => {
    const api = await context.request.get(new URL('/api/insights/listening-minutes-per-day', server.url).href)
    expect(api.status()).toBe(401)
    expect(await api.json()).not.toHaveProperty('rows')
    await page.goto(server.url)
    await page.waitForURL(/\/login$/)
    await expect(page.locator('#failed').isHidden()).resolves.toBe(true)
    await page.screenshot({ path: join(ARTIFACTS, 'login.png') })
  })

  it('refuses a wrong token and says so', async () => {
    await page.fill('#token', 'wrong-token')
    await page.click('button[type=submit]')
    await page.waitForURL(/\/login\?failed=1$/)
    expect(await page.locator('#failed').isVisible()).toBe(true)
    expect((await context.cookies()).length).toBe(0)
  })

  it('signs in from the printed link and renders every panel', async () => {
    await page.goto(server.signInUrl)
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 })
    expect(page.url()).toBe(server.url)
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-lake_session')
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' })
    const insights = new Set((await listInsights()).map((i) => i.name))
    for (const panel of PANELS) {
      const section = page.locator(`#panel-${panel.id}`)
      const state = await section.getAttribute('data-state')
      if (!insights.has(panel.insight)) {
        // Declared before its SQL exists: the panel says which insight is missing and what to do.
        expect([panel.id, state]).toEqual([panel.id, 'missing'])
        expect(await section.textContent()).toContain(`The insight ${panel.insight} is not in this lake yet`)
        expect(await section.textContent()).toContain(`add sql/insights/${panel.insight}.sql`)
        continue
      }
      expect([panel.id, state]).toEqual([panel.id, 'ready'])
      if (panel.chart.type !== 'rank') {
        const box = await section.locator('.chart canvas').first().boundingBox()
        expect(box?.width, panel.id).toBeGreaterThan(200)
        expect(box?.height, panel.id).toBeGreaterThan(100)
      }
    }
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true })
  })

  it("prints DuckDB's answer to each panel's SQL file", async () => {
    const insights = new Set((await listInsights()).map((i) => i.name))
    for (const panel of PANELS.filter((p) => insights.has(p.insight))) {
      const expected = await duckDbRows(panel)
      expect(expected.length, panel.id).toBeGreaterThan(0)
      expect([panel.id, await shownRows(panel)]).toEqual([panel.id, expected])
    }
  })

  it('filters by account and by date', async () => {
    const minutes = PANELS.find((p) => p.id === 'minutes-per-day')!
    expect(await page.locator('#account-filter').isVisible()).toBe(true)
    await page.selectOption('#account', 'bob')
    const bob = (await duckDbRows(minutes)).filter(
      (r) => r[columnsOf(minutes).indexOf('account_id')] === 'bob',
    )
    expect(bob.length).toBeGreaterThan(0)
    expect(await shownRows(minutes)).toEqual(bob)
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-bob.png'), fullPage: true })
    await page.selectOption('#account', '')
    await page.fill('#from', '2026-11-15')
    await page.locator('#from').dispatchEvent('change')
    const late = (await duckDbRows(minutes)).filter((r) => r[0]! >= '2026-11-15')
    expect(late.length).toBeGreaterThan(0)
    expect(await shownRows(minutes)).toEqual(late)
    await page.fill('#from', '2030-01-01')
    await page.locator('#from').dispatchEvent('change')
    expect(await page.locator('#panel-minutes-per-day').getAttribute('data-state')).toBe('filtered')
    await page.click('button[type=reset]')
    await expect.poll(() => page.inputValue('#from')).toBe('')
    // The form's reset redraws right after the inputs clear.
    await expect.poll(() => page.locator('#panel-minutes-per-day').getAttribute('data-state')).toBe('ready')
  })

  it('logged no console error, CSP violation or failed request on the way', () => {
    expect(problems).toEqual([])
  })

  it('signs out: the session is gone and the API says 401 again', async () => {
    await page.click('form.logout button')
    await page.waitForURL(/\/login$/)
    const api = await context.request.get(new URL('/api/insights/listening-heatmap', server.url).href)
    expect(api.status()).toBe(401)
  })
})
