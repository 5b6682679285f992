/** @module The Cron Trigger: planned EXTRACT messages, the manifest in S3, skip while active, loud config errors. */
import { createExecutionContext, createScheduledController } from 'cloudflare:test'
import type { RunId } from '@spotify-lake/schemas'
import { afterEach, describe, expect, inject, it } from 'vitest'
import worker from '../../src/index.ts'
import { manifestOf, releaseGlobal, testEnv } from './support/helpers.ts'
import { getText, listKeys } from './support/s3-readback.ts'

const { development } = inject('spotify')
const started: RunId[] = []
afterEach(() => releaseGlobal(started.splice(0)))

const cron = (t: ReturnType<typeof testEnv>, at: string, expression = '17 5 * * *') =>
  worker.scheduled(
    createScheduledController({ scheduledTime: new Date(at), cron: expression }),
    t.env,
    createExecutionContext(),
  )

describe('the recently-played cron', () => {
  const sources = {
    playlists: development.playlists.owned,
    myPlaylists: true,
    recentlyPlayed: true,
    topItems: true,
    followedArtists: true,
  }

  it('polls only the plays, one unit per account; the daily cron plans everything else', async () => {
    const { user } = development
    const t = testEnv({ SOURCES: sources, RECENTLY_PLAYED_CRON: '41 * * * *' })
    await cron(t, '2026-11-21T06:41:00Z', '41 * * * *')
    const polled = t.extract.take().map((m) => m.body)
    started.push(polled[0]?.runId as RunId)
    expect(polled.map((m) => m.unit)).toEqual([{ type: 'recently-played', accountId: user.accountId }])
    await releaseGlobal(started.splice(0))

    await cron(t, '2026-11-22T05:17:00Z')
    const daily = t.extract.take().map((m) => m.body)
    started.push(daily[0]?.runId as RunId)
    expect(daily.length).toBeGreaterThan(1)
    expect(daily.some((m) => m.unit.type === 'recently-played')).toBe(false)
    // The daily snapshots: six top lists and the followed artists of the account.
    expect(daily.filter((m) => m.unit.type === 'top-items')).toHaveLength(6)
    expect(daily.filter((m) => m.unit.type === 'followed-artists').map((m) => m.unit)).toEqual([
      { type: 'followed-artists', accountId: user.accountId, part: 0 },
    ])
  })

  it('starts nothing when SOURCES leaves the plays out', async () => {
    const t = testEnv({ SOURCES: { ...sources, recentlyPlayed: false }, RECENTLY_PLAYED_CRON: '41 * * * *' })
    await cron(t, '2026-11-21T06:41:00Z', '41 * * * *')
    expect(t.extract.sent).toEqual([])
  })
})

describe('the daily cron', () => {
  it('plans one EXTRACT message per configured source and opens the manifest in S3', async () => {
    const t = testEnv({ SOURCES: { playlists: development.playlists.owned, myPlaylists: true } })
    await cron(t, '2026-11-21T05:17:00Z')
    const messages = t.extract.sent.map((m) => m.body)
    const runId = messages[0]?.runId as RunId
    started.push(runId)
    expect(runId.startsWith('20261121T051700000Z-')).toBe(true)
    // The account connected from the secret: its list, and the configured playlists read with its token.
    const { user } = development
    expect(messages.map((m) => m.unit)).toEqual([
      { type: 'my-playlists', accountId: user.accountId, userId: user.id },
      ...development.playlists.owned.map((playlistId) => ({
        type: 'playlist',
        playlistId,
        offset: 0,
        part: 0,
        accountId: user.accountId,
      })),
    ])
    for (const m of messages)
      expect(m).toMatchObject({ v: 1, kind: 'extract', runId, dt: '2026-11-21', force: false })

    const key = `runs/${runId}.json`
    expect(await listKeys(key)).toEqual([key])
    const stored = JSON.parse(await getText(key))
    expect(stored).toMatchObject({ runId, dt: '2026-11-21', trigger: 'cron', status: 'running' })
    expect(Object.keys(stored.units).sort()).toEqual(
      [
        `my-playlists:${user.accountId}`,
        ...development.playlists.owned.map((id) => `playlist:${id}:0`),
      ].sort(),
    )
    // The manifest says which account the run extracts for, and how long its consent lasts.
    expect(stored.accounts[user.accountId]).toMatchObject({ userId: user.id, status: 'connected' })
    // Seeded just now: six months (181 to 184 days) left, no warning yet.
    expect(stored.accounts[user.accountId].daysLeft).toBeGreaterThanOrEqual(180)
    expect(stored.accounts[user.accountId].warning).toBeUndefined()
    expect(await manifestOf(runId)).toEqual(stored)
  })

  it('skips a day while the previous run is still active', async () => {
    const t = testEnv()
    await cron(t, '2026-11-21T05:17:00Z')
    started.push(t.extract.take()[0]?.body.runId as RunId)
    await cron(t, '2026-11-22T05:17:00Z')
    expect(t.extract.sent).toEqual([])
    expect(globalThis.capturedLogs.some((l) => l.includes('run.skipped'))).toBe(true)
  })

  it('fails loudly, naming the field, when the sources config is invalid', async () => {
    const t = testEnv({ SOURCES: { playlists: ['not valid!'], myPlaylists: false } })
    await expect(cron(t, '2026-11-21T05:17:00Z')).rejects.toThrow(/SOURCES\.playlists\.0: not a Spotify id/)
    expect(t.extract.sent).toEqual([])
  })

  it('starts nothing while no account is connected and no playlist is configured, and says why', async () => {
    const t = testEnv({
      SOURCES: { myPlaylists: true },
      SPOTIFY_REFRESH_TOKEN: '',
      SPOTIFY_CLIENT_ID: 'an-app-with-no-accounts',
    })
    await cron(t, '2026-11-21T05:17:00Z')
    expect(t.extract.sent).toEqual([])
    expect(globalThis.capturedLogs.some((l) => l.includes('"reason":"no account"'))).toBe(true)
  })
})
