/**
 * @module E2e of the recently_played source through the local stack, in both API modes: simulated
 * listening polled hourly lands exactly the simulator's plays in `plays` (none lost, none duplicated),
 * and a burst of more than 50 plays between two polls is reported as a possible gap with its span.
 */
import type { RunManifest } from '@spotify-lake/schemas'
import { type FakePlay, playHistory } from '@spotify-lake/spotify-client/fake'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForRun } from '../../src/local/run-local.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { type E2eStack, logTail, startE2eStack } from './support/stack.ts'

const HOUR = 3_600_000

describe.each(['development', 'extended'] as const)(
  'recently played through the local stack (%s mode)',
  (mode) => {
    let lake: E2eStack
    const dbs: LakeDb[] = []
    beforeAll(async () => {
      lake = await startE2eStack({ mode, seed: 15, playlists: 1, items: 5 })
    })
    afterAll(async () => {
      for (const db of dbs) db.close()
      await lake?.close()
    })

    /** One poll as the recently-played Cron Trigger starts it (POST /refresh with only the plays), to its end. */
    async function poll(): Promise<RunManifest> {
      const { workerUrl, apiToken } = lake.stack
      const res = await fetch(`${workerUrl}/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ recentlyPlayed: true }),
      })
      const body = (await res.json()) as { run_id?: string }
      expect(res.status, JSON.stringify(body)).toBe(202)
      const manifest = await waitForRun({
        workerUrl,
        apiToken,
        runId: body.run_id!,
        timeoutMs: 120_000,
        intervalMs: 500,
      }).catch((error: Error) => {
        throw new Error(
          `${error.message}\nlast lines of ${lake.stack.logFile}:\n${logTail(lake.stack.logFile)}`,
        )
      })
      expect(manifest.status).toBe('succeeded')
      expect(manifest.apiMode).toBe(mode)
      return manifest
    }

    /** The `plays` table's keys, and how many rows each has (over every run and dt). */
    async function playsInLake() {
      const db = await openLake(lake)
      dbs.push(db)
      return queryObjects(
        db,
        `SELECT account_id, epoch_ms(played_at) AS ms, track_id, context_uri, count(*) AS n
       FROM plays GROUP BY ALL ORDER BY ms`,
      )
    }

    const keyOf = (p: FakePlay) => `${p.playedAt}:${p.trackId}`
    const expected = new Map<string, FakePlay>()
    const heard = () => {
      for (const p of playHistory(lake.fake.catalog.library, lake.fake.now())) expected.set(keyOf(p), p)
    }

    it('a stretch of listening polled hourly lands every play exactly once', async () => {
      const account = lake.fake.catalog.user.accountId
      heard() // the history Spotify holds at the first poll: its last 50 plays
      await poll()
      // Six hours of listening, a play every 4 minutes (15 an hour: well under the 50 Spotify keeps).
      const session = lake.fake.listen({ plays: 90, everyMs: 4 * 60_000 })
      for (let hour = 0; hour < 6; hour++) {
        lake.fake.advanceClock(HOUR)
        heard()
        const manifest = await poll()
        expect(manifest.possibleGaps).toEqual([])
      }
      for (const p of session) expect(expected.has(keyOf(p))).toBe(true)

      const rows = await playsInLake()
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true)
      expect(rows.every((r) => r.account_id === account)).toBe(true)
      expect(rows.map((r) => `${r.ms}:${r.track_id}`).sort()).toEqual([...expected.keys()].sort())
      const contexts = new Map([...expected.values()].map((p) => [keyOf(p), p.contextPlaylistId]))
      for (const r of rows) {
        const playlist = contexts.get(`${r.ms}:${r.track_id}`)
        expect(r.context_uri).toBe(playlist ? `spotify:playlist:${playlist}` : null)
      }
    })

    it('a burst of more than 50 plays between two polls is a possible gap with its span', async () => {
      const before = Math.max(...[...expected.values()].map((p) => p.playedAt))
      const burst = lake.fake.listen({ plays: 70, everyMs: 30_000, startAt: lake.fake.now() + 60_000 })
      lake.fake.advanceClock(HOUR)
      heard()
      const manifest = await poll()
      // Spotify kept the last 50: the first 20 of the burst are gone, between the cursor and the 21st.
      expect(manifest.possibleGaps).toEqual([
        {
          kind: 'possible_gap',
          unit: `recently-played:${lake.fake.catalog.user.accountId}`,
          account: lake.fake.catalog.user.accountId,
          from: new Date(before).toISOString(),
          to: new Date(burst[20]!.playedAt).toISOString(),
        },
      ])
      expect(manifest.warnings.some((w) => w.startsWith('possible_gap:'))).toBe(true)
      const rows = await playsInLake()
      expect(rows.map((r) => `${r.ms}:${r.track_id}`).sort()).toEqual([...expected.keys()].sort())
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true)
      for (const lost of burst.slice(0, 20)) expect(expected.has(keyOf(lost))).toBe(false)
    })
  },
)
