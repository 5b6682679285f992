/** @module HTTP API: health, auth, validation, 202/409/413/400/404/500 answers, run manifests. */
import { createExecutionContext } from 'cloudflare:test'
import type { RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { manifestOf, releaseGlobal, type TestEnv, testEnv, wipe } from './support/helpers.ts'

const { secrets, development } = inject('spotify')
const auth = { authorization: `Bearer ${secrets.apiToken}` }
const started: RunId[] = []

async function call(t: TestEnv, path: string, init: RequestInit = {}) {
  const res = await worker.fetch(
    new Request(`http://worker.test${path}`, init),
    t.env,
    createExecutionContext(),
  )
  const text = await res.text()
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret)
  return { res, status: res.status, body: JSON.parse(text) as Record<string, unknown> }
}

const refresh = (t: TestEnv, body: unknown, headers: Record<string, string> = auth) =>
  call(t, '/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

beforeEach(() => wipe('runs/'))
afterEach(async () => {
  await releaseGlobal(started.splice(0))
})

describe('GET /health', () => {
  it('answers without auth and without any secret', async () => {
    const { status, body } = await call(testEnv(), '/health')
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ok', service: 'spotify-lake-worker', config: 'ok' })
  })

  it('names invalid config fields, never their values', async () => {
    const { status, body } = await call(
      testEnv({ SPOTIFY_CLIENT_SECRET: '', S3_ENDPOINT: 'not a url' }),
      '/health',
    )
    expect(status).toBe(200)
    expect(body).toMatchObject({ config: 'invalid', invalidFields: ['S3_ENDPOINT', 'SPOTIFY_CLIENT_SECRET'] })
  })
})

describe('auth', () => {
  for (const [name, headers] of [
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }],
    ['a token that is a prefix', { authorization: `Bearer ${secrets.apiToken.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${secrets.apiToken}` }],
  ] as const) {
    it(`refuses ${name} with 401 on every protected route`, async () => {
      const t = testEnv()
      for (const [path, method] of [
        ['/refresh', 'POST'],
        ['/runs', 'GET'],
        ['/runs/20261121T010203456Z-abc123', 'GET'],
      ] as const) {
        const { status, body, res } = await call(t, path, { method, headers })
        expect(status).toBe(401)
        expect(res.headers.get('www-authenticate')).toContain('Bearer')
        expect(body.error).toMatch(/bearer token/)
      }
      expect(t.extract.sent).toEqual([])
    })
  }
})

describe('POST /refresh', () => {
  it('starts a run: 202 with run_id and status URL, one message per playlist, manifest readable', async () => {
    const t = testEnv()
    const playlists = development.playlists.owned
    const { status, body, res } = await refresh(t, { playlists, dt: '2026-11-20' })
    expect(status).toBe(202)
    const runId = body.run_id as RunId
    started.push(runId)
    expect(runId).toMatch(/^\d{8}T\d{9}Z-[a-z0-9]{6}$/)
    expect(body).toMatchObject({ dt: '2026-11-20', status: 'running', units: playlists.length })
    expect(body.status_url).toBe(`http://worker.test/runs/${runId}`)
    expect(res.headers.get('location')).toBe(body.status_url)
    expect(t.extract.sent.map((m) => m.body)).toEqual(
      playlists.map((playlistId) => ({
        v: 1,
        kind: 'extract',
        runId,
        dt: '2026-11-20',
        force: false,
        // Configured playlists read with the connected account's token (the secret seeded it).
        unit: { type: 'playlist', playlistId, offset: 0, part: 0, accountId: development.user.accountId },
      })),
    )
    const status2 = await call(t, `/runs/${runId}`, { headers: auth })
    expect(status2.status).toBe(200)
    expect(status2.body).toMatchObject({ runId, dt: '2026-11-20', trigger: 'http', status: 'running' })
    expect(Object.keys(status2.body.units as object)).toHaveLength(playlists.length)
  })

  it('uses the configured sources for an empty body', async () => {
    const t = testEnv()
    const { status, body } = await call(t, '/refresh', { method: 'POST', headers: auth })
    expect(status).toBe(202)
    started.push(body.run_id as RunId)
    expect(t.extract.sent).toHaveLength(development.playlists.owned.length)
  })

  it('answers 409 while a run is active, and starts anyway when forced', async () => {
    const t = testEnv()
    const first = await refresh(t, { playlists: [development.playlists.owned[0]] })
    started.push(first.body.run_id as RunId)
    const second = await refresh(t, { playlists: [development.playlists.owned[0]] })
    expect(second.status).toBe(409)
    expect(second.body).toMatchObject({ active_run_id: first.body.run_id })
    expect(second.body.error).toMatch(/already active/)
    // What to send, in the API's words and the CLI's: `"force": true` / `--force`.
    expect(second.body.hint).toMatch(/"force": true.*lake run --local --force/)
    const forced = await refresh(t, { playlists: [development.playlists.owned[0]], force: true })
    expect(forced.status).toBe(202)
    started.push(forced.body.run_id as RunId)
    expect(t.extract.sent.at(-1)?.body.force).toBe(true)
  })

  it('rejects bad input with 400 and a clear message', async () => {
    const t = testEnv()
    const cases: [unknown, RegExp][] = [
      ['{"playlists": [', /body must be JSON/],
      [{ playlists: ['not a spotify id!'] }, /invalid body/],
      [{ dt: '2026-02-30' }, /invalid body/],
      [{ dt: '21/11/2026' }, /invalid body/],
      [{ force: 'yes' }, /invalid body/],
      [{ surprise: true }, /invalid body/],
      [[1, 2], /invalid body/],
      [{ playlists: [], myPlaylists: false }, /nothing to extract/],
    ]
    for (const [body, message] of cases) {
      const res = await refresh(t, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error).toMatch(message)
    }
    const bad = await refresh(t, { dt: '2026-02-30', playlists: ['x!'] })
    expect(bad.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'dt', message: 'dt must be a real calendar date' },
        { path: 'playlists.0', message: 'not a Spotify id' },
      ]),
    )
    expect(t.extract.sent).toEqual([])
  })

  it('refuses my-playlists while no account is connected, and says how to connect one', async () => {
    // Another Spotify app: its own realm of accounts in the broker, none connected, no secret to seed.
    const t = testEnv({ SPOTIFY_REFRESH_TOKEN: '', SPOTIFY_CLIENT_ID: 'an-app-with-no-accounts' })
    const res = await refresh(t, { myPlaylists: true })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatch(/no Spotify account is connected/)
    expect(res.body.action).toBe('connect an account: open http://worker.test/connect in a browser')
    expect(t.extract.sent).toEqual([])
  })

  it('answers 413 to an oversized body', async () => {
    const t = testEnv()
    const res = await refresh(t, { playlists: Array.from({ length: 2000 }, () => 'a'.repeat(22)) })
    expect(res.status).toBe(413)
    expect(res.body.error).toMatch(/larger than/)
    expect(t.extract.sent).toEqual([])
  })

  it('answers 500 naming the fields when the Worker is misconfigured', async () => {
    const t = testEnv({ REFRESH_API_TOKEN: 'short', SOURCES: '{"playlist": []}' })
    const res = await refresh(t, {})
    expect(res.status).toBe(500)
    expect(res.body).toMatchObject({
      error: 'worker misconfigured',
      fields: ['REFRESH_API_TOKEN', 'SOURCES'],
      reason: 'config_invalid',
    })
    const sources = await refresh(testEnv({ SOURCES: '{"playlist": []}' }), {})
    expect(sources.body).toMatchObject({ error: 'worker misconfigured', fields: ['SOURCES'] })
  })
})

describe('GET /runs', () => {
  it('lists manifests newest first, validates the id, 404s an unknown run', async () => {
    const t = testEnv()
    const ids: RunId[] = []
    for (let i = 0; i < 3; i++) {
      const { body } = await refresh(t, { playlists: [development.playlists.owned[0]], force: true })
      ids.push(body.run_id as RunId)
    }
    started.push(...ids)
    const list = await call(t, '/runs?limit=2', { headers: auth })
    expect(list.status).toBe(200)
    expect((list.body.runs as { runId: string }[]).map((r) => r.runId)).toEqual([ids[2], ids[1]])
    expect((await call(t, '/runs?limit=0', { headers: auth })).status).toBe(400)
    expect((await call(t, '/runs?limit=x', { headers: auth })).status).toBe(400)

    const bad = await call(t, '/runs/not-a-run', { headers: auth })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('invalid run id')
    const missing = await call(t, '/runs/20200101T000000000Z-zzzzzz', { headers: auth })
    expect(missing.status).toBe(404)
    expect(missing.body.error).toMatch(/no run/)
    expect((await manifestOf(ids[0] as RunId))?.status).toBe('running')
  })

  it('answers 404 in JSON for unknown routes', async () => {
    const res = await call(testEnv(), '/nope')
    expect(res.status).toBe(404)
    expect(res.body.error).toMatch(/no route/)
  })
})
