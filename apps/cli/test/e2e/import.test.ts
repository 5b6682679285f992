/**
 * @module E2e of the privacy-export import through the local stack: an export uploaded to POST /imports
 * (the Worker streams it into raw, the transformer imports it), then the recently_played source polling
 * the same listens, gives one row per real listen in `listens`: the export's where both saw a listen.
 */
import { lakeKeys, type RunManifest } from '@spotify-lake/schemas'
import { type FakePlay, playHistory } from '@spotify-lake/spotify-client/fake'
import { strToU8, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForRun } from '../../src/local/run-local.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { type E2eStack, logTail, startE2eStack } from './support/stack.ts'

/** An extended-history record of a fake play: the export's `ts` is the play's end to the second. */
function exportRecord(play: Pick<FakePlay, 'playedAt' | 'trackId'>, ip = '192.0.2.7') {
  return {
    ts: new Date(Math.floor(play.playedAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    platform: 'android',
    ms_played: 180_000,
    conn_country: 'SE',
    ip_addr: ip,
    master_metadata_track_name: `Track ${play.trackId}`,
    master_metadata_album_artist_name: 'Some Artist',
    master_metadata_album_album_name: 'Some Album',
    spotify_track_uri: `spotify:track:${play.trackId}`,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: Math.floor(play.playedAt / 1000) - 600,
    incognito_mode: false,
  }
}

describe('a privacy export through POST /imports, then the recently_played source', () => {
  let lake: E2eStack
  const dbs: LakeDb[] = []
  beforeAll(async () => {
    lake = await startE2eStack({ mode: 'development', seed: 16, playlists: 1, items: 5 })
  })
  afterAll(async () => {
    for (const db of dbs) db.close()
    await lake?.close()
  })

  async function poll(): Promise<RunManifest> {
    const { workerUrl, apiToken } = lake.stack
    const res = await fetch(`${workerUrl}/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recentlyPlayed: true }),
    })
    const body = (await res.json()) as { run_id?: string }
    expect(res.status, JSON.stringify(body)).toBe(202)
    return waitForRun({ workerUrl, apiToken, runId: body.run_id!, timeoutMs: 120_000, intervalMs: 500 })
  }

  async function imported(runId: string): Promise<RunManifest> {
    for (let i = 0; i < 240; i++) {
      const manifest = await lake.store.getJson<RunManifest>(lakeKeys.manifest(runId))
      if (manifest?.finishedAt) return manifest
      await new Promise((r) => setTimeout(r, 500))
    }
    throw new Error(
      `import ${runId} did not finish\nlast lines of ${lake.stack.logFile}:\n${logTail(lake.stack.logFile)}`,
    )
  }

  it('gives one row per real listen, the export row where a poll saw the same listen', async () => {
    const account = lake.fake.catalog.user.accountId
    const session = lake.fake.listen({ plays: 30, everyMs: 4 * 60_000 })
    lake.fake.advanceClock(3 * 3_600_000)
    const history = playHistory(lake.fake.catalog.library, lake.fake.now())
    for (const p of session) expect(history.some((h) => h.playedAt === p.playedAt)).toBe(true)
    // The export: the session's plays, and two older listens the API never saw.
    const older = [
      { playedAt: Date.UTC(2015, 5, 1, 10, 0, 5), trackId: session[0]!.trackId },
      { playedAt: Date.UTC(2016, 0, 2, 8, 30, 0), trackId: session[1]!.trackId },
    ]
    const records = [...older, ...session].map((p) => exportRecord(p))
    const zip = zipSync({
      'Spotify Extended Streaming History/Streaming_History_Audio_2015-2026_0.json': strToU8(
        JSON.stringify(records),
      ),
      'Spotify Account Data/Userdata.json': strToU8('{"username":"listener-example"}'),
    })

    const { workerUrl, apiToken } = lake.stack
    const res = await fetch(`${workerUrl}/imports?account=${account}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/zip' },
      body: zip,
    })
    const accepted = (await res.json()) as { run_id: string; records: number }
    expect([res.status, accepted.records], JSON.stringify(accepted)).toEqual([202, 32])
    const manifest = await imported(accepted.run_id)
    expect(manifest).toMatchObject({
      trigger: 'import',
      status: 'succeeded',
      reconciliation: { itemsSeen: 32, rowsWritten: 32, ok: true },
    })

    const polled = await poll()
    expect(polled.status).toBe('succeeded')

    const db = await openLake(lake)
    dbs.push(db)
    const plays = await queryObjects(
      db,
      'SELECT source, count(*) AS n FROM plays GROUP BY source ORDER BY source',
    )
    expect(plays).toEqual([
      { source: 'extended_history', n: 32 },
      { source: 'recently_played', n: history.length },
    ])
    const listens = await queryObjects(
      db,
      'SELECT source, epoch_ms(played_at) AS ms, track_id FROM listens ORDER BY played_at',
    )
    // Every session listen once, as the export has it; every API-only listen (before the session) once.
    const sessionSeconds = new Set(session.map((p) => `${Math.floor(p.playedAt / 1000) * 1000}:${p.trackId}`))
    const apiOnly = history.filter((h) => !session.some((p) => p.playedAt === h.playedAt))
    expect(listens).toHaveLength(older.length + session.length + apiOnly.length)
    expect(
      listens.filter((l) => l.source === 'extended_history').map((l) => `${l.ms}:${l.track_id}`),
    ).toEqual([...older.map((p) => `${p.playedAt}:${p.trackId}`), ...sessionSeconds])
    expect(listens.filter((l) => l.source === 'recently_played')).toHaveLength(apiOnly.length)

    // Nothing personal reached the lake: not the IP addresses, not the unread Userdata.json.
    for (const key of await lake.store.listKeys('raw/privacy_export/')) {
      const text = new TextDecoder().decode(
        await new Response(
          new Blob([(await lake.store.get(key))!]).stream().pipeThrough(new DecompressionStream('gzip')),
        ).arrayBuffer(),
      )
      expect(text).not.toMatch(/192\.0\.2\.|ip_addr|listener-example/)
    }
  })
})
