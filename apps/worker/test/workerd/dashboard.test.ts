/**
 * @module The dashboard on the Worker, in workerd: `GET /api/insights/:name` runs the insight on the Athena
 * stand-in (SigV4 by aws4fetch, verified by the AWS SDK's signer), keeps the answer in S3 per latest run
 * (the IAM-gated local S3 holds the Worker to its deployed grants), and answers nothing without a session.
 */
import { createExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { lake, type TestEnv, testEnv, wipe } from './support/helpers.ts'

const { secrets } = inject('spotify')
const athena = inject('athena')
const bearer = { authorization: `Bearer ${secrets.apiToken}` }
const today = new Date().toISOString().slice(0, 10)

async function call(t: TestEnv, path: string, init: RequestInit = {}) {
  const res = await worker.fetch(
    new Request(`https://worker.test${path}`, init),
    t.env,
    createExecutionContext(),
  )
  const text = await res.text()
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret)
  return { res, status: res.status, text }
}

/** How many queries the Athena stand-in has started so far. */
async function athenaQueries(): Promise<number> {
  return ((await (await fetch(`${athena.endpoint}/__fake/queries`)).json()) as unknown[]).length
}

/** A run's finalize, as far as the dashboard sees it: its run_tables file. */
async function runLands(runId: string): Promise<void> {
  await lake().put(`tables/run_tables/dt=${today}/${runId}.parquet`, new Uint8Array([80, 65, 82, 49]))
}

afterEach(async () => {
  await wipe('dashboard-cache/')
  await wipe('tables/run_tables/')
})

/** The answer the CLI's insight tests know for their lake (apps/cli/test/support/plays-lake.ts). */
const MINUTES_PER_DAY = [
  { play_date: '2026-10-31', account_id: 'alice', plays: 2, minutes: 6.67, plays_without_duration: 0 },
  { play_date: '2026-11-02', account_id: 'alice', plays: 3, minutes: 6.67, plays_without_duration: 1 },
  { play_date: '2026-11-02', account_id: 'bob', plays: 2, minutes: 6.67, plays_without_duration: 0 },
  { play_date: '2026-11-19', account_id: 'acc1', plays: 2, minutes: 6.67, plays_without_duration: 0 },
  { play_date: '2026-11-19', account_id: 'acc2', plays: 1, minutes: 3.33, plays_without_duration: 0 },
  { play_date: '2026-11-20', account_id: 'alice', plays: 1, minutes: 3.33, plays_without_duration: 0 },
  { play_date: '2026-11-21', account_id: 'bob', plays: 1, minutes: 3.33, plays_without_duration: 0 },
]

describe('GET /api/insights/:name on the Worker', () => {
  it('answers nothing without a session, token or Access assertion, and starts no query', async () => {
    const before = await athenaQueries()
    const { status, text } = await call(testEnv(), '/api/insights/listening-minutes-per-day')
    expect(status).toBe(401)
    expect(JSON.parse(text)).toEqual({
      error: 'not signed in',
      action: 'sign in at /login with the API token',
    })
    expect((await call(testEnv(), '/api/insights')).status).toBe(401)
    expect(await athenaQueries()).toBe(before)
  })

  it('runs the insight on Athena once per latest run, keeping the answer in S3', async () => {
    await runLands('20261129T050000000Z-aaaaaa')
    const before = await athenaQueries()
    const first = await call(testEnv(), '/api/insights/listening-minutes-per-day', { headers: bearer })
    expect(first.status).toBe(200)
    const body = JSON.parse(first.text)
    expect(body).toMatchObject({
      insight: 'listening-minutes-per-day',
      columns: ['play_date', 'account_id', 'plays', 'minutes', 'plays_without_duration'],
      rows: MINUTES_PER_DAY,
      source: `${today}/20261129T050000000Z-aaaaaa`,
    })
    expect(await athenaQueries()).toBe(before + 1)
    const key = `dashboard-cache/${today}/20261129T050000000Z-aaaaaa/listening-minutes-per-day.json`
    expect(await lake().getJson(key)).toEqual(body)

    // A second view is answered from S3.
    const again = await call(testEnv(), '/api/insights/listening-minutes-per-day', { headers: bearer })
    expect(JSON.parse(again.text)).toEqual(body)
    expect(await athenaQueries()).toBe(before + 1)

    // A new run lands: the next view asks Athena again.
    await runLands('20261129T060000000Z-bbbbbb')
    const fresh = JSON.parse(
      (await call(testEnv(), '/api/insights/listening-minutes-per-day', { headers: bearer })).text,
    )
    expect(fresh.source).toBe(`${today}/20261129T060000000Z-bbbbbb`)
    expect(fresh.rows).toEqual(MINUTES_PER_DAY)
    expect(await athenaQueries()).toBe(before + 2)
  })

  it('says what failed when Athena refuses (an unknown workgroup), and keeps nothing', async () => {
    const t = testEnv({ ATHENA_WORKGROUP: 'not-the-workgroup' })
    const { status, text } = await call(t, '/api/insights/listening-heatmap', { headers: bearer })
    expect(status).toBe(502)
    expect(JSON.parse(text).error).toMatch(
      /InvalidRequestException: WorkGroup not-the-workgroup is not found/,
    )
    expect(await lake().listKeys('dashboard-cache/')).toEqual([])
    const unset = await call(testEnv({ ATHENA_WORKGROUP: '' }), '/api/insights/listening-heatmap', {
      headers: bearer,
    })
    expect(unset.status).toBe(502)
    expect(JSON.parse(unset.text).error).toMatch(/ATHENA_WORKGROUP/)
  })

  it('answers 404 for an insight that is not bundled', async () => {
    const { status } = await call(testEnv(), '/api/insights/no-such-insight', { headers: bearer })
    expect(status).toBe(404)
  })
})

describe('the dashboard page on the Worker', () => {
  it('sends a browser without a session to the login form, and serves the page with a CSP after it', async () => {
    const t = testEnv()
    const anonymous = await call(t, '/')
    expect(anonymous.status).toBe(302)
    expect(anonymous.res.headers.get('location')).toBe('/login')
    const wrong = await call(t, '/login', {
      method: 'POST',
      body: new URLSearchParams({ token: 'wrong-token-0000' }),
    })
    expect(wrong.res.headers.get('location')).toBe('/login?failed=1')
    const login = await call(t, '/login', {
      method: 'POST',
      body: new URLSearchParams({ token: secrets.apiToken }),
    })
    expect(login.status).toBe(303)
    const cookie = login.res.headers.get('set-cookie')!.split(';')[0]!
    const page = await call(t, '/', { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.text).toContain('<script type="module" src="/app.js"></script>')
    expect(page.res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/)
    const list = JSON.parse((await call(t, '/api/insights', { headers: { cookie } })).text)
    expect(list.insights.map((i: { name: string }) => i.name)).toContain('listening-heatmap')
    // The dashboard's headers stay on its own paths: the consent pages keep theirs.
    expect((await call(t, '/health')).res.headers.get('content-security-policy')).toBeNull()
    const form = await call(t, '/login')
    expect(form.status).toBe(200)
    expect(form.text).toContain('name="token"')
  })
})
