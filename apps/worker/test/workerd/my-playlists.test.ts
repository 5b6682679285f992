/** @module "My playlists": development mode plans only playlists the user owns or collaborates on; extended plans all. */
import type { RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import {
  actAsTransformer,
  drainExtract,
  extendedMode,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  seedAccounts,
  type TestEnv,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope } from './support/s3-readback.ts'

const spotify = inject('spotify')
const started: RunId[] = []

beforeEach(async () => {
  // The account is connected before the test: its seeding (token call, GET /me) is no part of a run.
  await seedAccounts(testEnv(), testEnv(extendedMode()))
  await Promise.all([fakeAdmin('development').reset(), fakeAdmin('extended').reset()])
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

async function run(t: TestEnv, playlists: string[]) {
  const result = await startRun({ env: t.env, sources: { playlists, myPlaylists: true }, trigger: 'http' })
  if (!result.started) throw new Error('run did not start')
  started.push(result.runId)
  const batches = await drainExtract(t)
  for (const batch of batches) expect(batch.retryMessages).toEqual([])
  return result.runId
}

describe('my playlists in development mode', () => {
  const { owned, collaborative, other, editorial } = spotify.development.playlists
  const { user } = spotify.development
  const listingKey = `my-playlists:${user.accountId}`

  it('skips followed playlists of others and the editorial ones without calling Spotify for them', async () => {
    // `auto`: the mode is probed by the first unit, as in production, before the list is filtered.
    const t = testEnv({ SPOTIFY_API_MODE: 'auto' })
    const runId = await run(t, [])

    const manifest = await manifestOf(runId)
    expect(manifest?.apiMode).toBe('development')
    const units = manifest?.units ?? {}
    for (const id of [...owned, ...collaborative]) expect(units[`playlist:${id}:0`]?.status).toBe('extracted')
    expect(other.length + editorial.length).toBeGreaterThan(1)
    for (const id of [...other, ...editorial]) {
      expect(units[`playlist:${id}:0`]).toEqual({
        status: 'skipped',
        attempts: 0,
        rawKeys: [],
        itemsSeen: 0,
        account: user.accountId,
        error: expect.stringMatching(
          new RegExp(`^development mode: owned by \\S+, not the user ${user.id}, and not collaborative`),
        ),
      })
    }
    expect(units[`playlist:${editorial[0]}:0`]?.error).toContain('owned by spotify,')
    expect(units[`playlist:${other[0]}:0`]?.error).toContain('owned by other-user,')
    expect(manifest?.errors).toEqual([])

    // Not one request for a skipped playlist, and no GET /me: the account's user id comes with the unit.
    const requests = await fakeAdmin('development').requests()
    for (const id of [...other, ...editorial])
      expect(requests.filter((r) => r.path.includes(id)).map((r) => r.path)).toEqual([])
    expect(requests.filter((r) => r.path === '/v1/me')).toEqual([])
    expect(manifest?.api.byEndpoint).toEqual({
      'GET /tracks': 1, // the `auto` probe
      'GET /me/playlists': 1,
      'GET /playlists/{id}': owned.length + collaborative.length,
      ...Object.fromEntries(
        Object.entries(manifest?.api.byEndpoint ?? {}).filter(
          ([e]) => !/^GET \/(tracks|me|me\/playlists|playlists\/\{id\})$/.test(e),
        ),
      ),
    })
    expect(manifest?.api.calls).toBe(requests.length)

    // The listing is kept in raw (every listed playlist, skipped ones too), with the account it lists for.
    const listing = await getEnvelope(units[listingKey]?.rawKeys[0] as string)
    expect(listing.responses.map((r) => r.endpoint)).toEqual(['/me/playlists'])
    expect(listing.unit).toEqual({ type: 'my-playlists', accountId: user.accountId, userId: user.id })
    const listed = owned.length + collaborative.length + other.length + editorial.length
    expect(units[listingKey]?.itemsSeen).toBe(listed)

    // Skipped units are terminal: the run closes once the raw objects are transformed.
    expect(await actAsTransformer(t)).toEqual([{ v: 1, kind: 'finalize', runId, dt: manifest?.dt }])
  })

  it('keeps a playlist listed in SOURCES.playlists: its 403 is a failure the user sees', async () => {
    const t = testEnv({ SPOTIFY_API_MODE: 'development' })
    const configured = other[0] as string
    const runId = await run(t, [configured])
    const manifest = await manifestOf(runId)
    const units = manifest?.units ?? {}
    expect(units[`playlist:${configured}:0`]).toMatchObject({ status: 'failed' })
    expect(units[`playlist:${configured}:0`]?.error).toMatch(/403/)
    expect(manifest?.errors.map((e) => e.unit)).toEqual([`playlist:${configured}:0`])
    // Only the one reached from "my playlists" alone is skipped.
    for (const id of editorial) expect(units[`playlist:${id}:0`]?.status).toBe('skipped')
    const requests = await fakeAdmin('development').requests()
    expect(requests.filter((r) => r.path.startsWith(`/v1/playlists/${configured}`)).length).toBeGreaterThan(0)
  })
})

describe('my playlists in extended mode', () => {
  it('plans every listed playlist (no filter, no GET /me)', async () => {
    const t = testEnv({ ...extendedMode(), SPOTIFY_API_MODE: 'extended' })
    const { owned, collaborative, other, editorial } = spotify.extended.playlists
    const runId = await run(t, [])
    const units = (await manifestOf(runId))?.units ?? {}
    for (const id of [...owned, ...collaborative, ...other, ...editorial])
      expect(units[`playlist:${id}:0`]?.status).toBe('extracted')
    expect(Object.values(units).filter((u) => u.status !== 'extracted')).toEqual([])
    const requests = await fakeAdmin('extended').requests()
    expect(requests.filter((r) => r.path === '/v1/me')).toEqual([])
  })
})
