/**
 * @module `pnpm bench` (dashboard): a year of simulated plays in a DuckDB lake, served by the CLI's
 * dashboard server, opened in headless Chromium. Measures the server's start (it runs every insight once),
 * the page's first render (navigation start to every panel drawn, from the page's own `dashboard-rendered`
 * mark) on the first view and later ones, and the insight endpoint's latency from the server's cache.
 * BENCH_SCREENSHOT=<path> also saves a screenshot of the page (the README's).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { PANELS } from '@spotify-lake/dashboard'
import { serveDashboard } from '../src/dashboard/serve.ts'
import { openLakeDb } from '../src/query/duckdb.ts'
import { launchChromium } from '../test/browser/chromium.ts'
import { keyOf, toParquet } from '../test/support/query-lake.ts'
import { simulatedYear } from './support/simulated-year.ts'

const WARM_LOADS = 7
const API_REQUESTS = 50

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!
const ms = (x: number) => `${x.toFixed(1)} ms`

const root = await mkdtemp(join(tmpdir(), 'lake-bench-dashboard-'))
const year = simulatedYear()
for (const file of year.files) {
  const path = join(root, keyOf(file as Parameters<typeof keyOf>[0]))
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, toParquet(file as Parameters<typeof toParquet>[0]))
}
const db = await openLakeDb({ root })
const token = 'bench-token'
const started = performance.now()
const server = await serveDashboard({ db, outdir: join(root, 'dist'), source: 'a simulated year', token })
const startMs = performance.now() - started
const browser = await launchChromium()
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  await context.request.post(new URL('/login', server.url).href, { form: { token }, maxRedirects: 0 })
  const page = await context.newPage()
  const load = async () => {
    await page.goto(server.url)
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 })
    return page.evaluate(() => performance.getEntriesByName('dashboard-rendered')[0]!.startTime)
  }
  const cold = await load()
  const warm: number[] = []
  for (let i = 0; i < WARM_LOADS; i++) warm.push(await load())
  if (process.env.BENCH_SCREENSHOT)
    await page.screenshot({ path: process.env.BENCH_SCREENSHOT, fullPage: true })

  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
  const insights = [...new Set(PANELS.map((p) => p.insight))]
  const latencies: number[] = []
  const sizes: string[] = []
  for (const name of insights) {
    const url = new URL(`/api/insights/${name}`, server.url)
    const first = await fetch(url, { headers: { cookie } })
    const body = await first.text()
    if (first.status !== 200) continue
    sizes.push(`${name} ${JSON.parse(body).rows.length} rows, ${(body.length / 1024).toFixed(1)} KiB`)
    for (let i = 0; i < API_REQUESTS; i++) {
      const t0 = performance.now()
      await (await fetch(url, { headers: { cookie } })).arrayBuffer()
      latencies.push(performance.now() - t0)
    }
  }
  console.log(
    [
      `dashboard benchmark, ${new Date().toISOString()}: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      `lake: ${year.plays} plays over 365 days, 2 accounts, 800 tracks, weekly sizes of 3 playlists`,
      `server start (esbuild bundle, then every insight once in DuckDB): ${ms(startMs)}`,
      `first render, first page view (empty browser cache): ${ms(cold)}`,
      `first render, later views: median ${ms(median(warm))} of ${WARM_LOADS}, max ${ms(Math.max(...warm))}`,
      `GET /api/insights/:name from cache: median ${ms(median(latencies))}, p95 ${ms(p95(latencies))} (${latencies.length} requests over ${sizes.length} insights)`,
      ...sizes.map((s) => `  ${s}`),
    ].join('\n'),
  )
} finally {
  await browser.close()
  await server.close()
  db.close()
  await rm(root, { recursive: true, force: true })
}
