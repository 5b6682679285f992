/**
 * @module E2e of the saved-library sources through the local stack, in both API modes: the library lands
 * exactly (tables and the `saved_library` view), an unchanged library costs one call per kind, a removal
 * is found by the full listing and recorded as `removed_at`, the library of a past date is one simple
 * query, and nothing is duplicated across runs.
 */
import type { RunManifest } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForRun } from '../../src/local/run-local.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { type E2eStack, logTail, startE2eStack } from './support/stack.ts'

const DAY = 86_400_000
type Holding = { kind: string; item_id: string; added_at: string; removed_at: string | null }

describe.each(['development', 'extended'] as const)(
  'the saved library through the local stack (%s mode)',
  (mode) => {
    let lake: E2eStack
    const dbs: LakeDb[] = []
    beforeAll(async () => {
      lake = await startE2eStack({ mode, seed: 16, playlists: 1, items: 5 })
    })
    afterAll(async () => {
      for (const db of dbs) db.close()
      await lake?.close()
    })

    /** One run of the saved library (POST /refresh, as the daily run plans it), to its end, with its calls. */
    async function check(): Promise<{ manifest: RunManifest; calls: (path: string) => number }> {
      const { workerUrl, apiToken } = lake.stack
      const before = lake.fake.requests.length
      const res = await fetch(`${workerUrl}/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ savedTracks: true, savedAlbums: true, savedShows: true, savedEpisodes: true }),
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
      expect(manifest.status, JSON.stringify(manifest.failure ?? manifest.warnings)).toBe('succeeded')
      const calls = lake.fake.requests.slice(before)
      // Answered calls only: a day on the fake's clock expires the access token, and its 401 is retried.
      return { manifest, calls: (path) => calls.filter((c) => c.path === path && c.status === 200).length }
    }

    async function db(): Promise<LakeDb> {
      const opened = await openLake(lake)
      dbs.push(opened)
      return opened
    }

    /** The fake's library now, as (kind, id, added_at) keys. */
    const library = () => {
      const { savedTracks, savedAlbums, savedShows, savedEpisodes } = lake.fake.catalog.library
      return [
        ...savedTracks.map((s) => `track:${s.trackId}:${s.addedAt}`),
        ...savedAlbums.map((s) => `album:${s.albumId}:${s.addedAt}`),
        ...savedShows.map((s) => `show:${s.showId}:${s.addedAt}`),
        ...savedEpisodes.map((s) => `episode:${s.episodeId}:${s.addedAt}`),
      ].sort()
    }
    const keyOf = (h: Holding) => `${h.kind}:${h.item_id}:${h.added_at}`
    const holdings = async (where = 'TRUE') =>
      (await queryObjects(
        await db(),
        `SELECT kind, item_id, strftime(added_at, '%Y-%m-%dT%H:%M:%SZ') AS added_at,
              CAST(removed_at AS varchar) AS removed_at
       FROM saved_library WHERE ${where}`,
      )) as Holding[]
    /** Rows per (key, held or removed) in the tables: one each when nothing is duplicated across runs. */
    const duplicates = async () =>
      (
        await queryObjects(
          await db(),
          `SELECT count(*) AS n FROM (
         SELECT account_id, track_id, added_at, removed_at IS NULL AS held, count(*) AS c FROM saved_tracks GROUP BY ALL
         UNION ALL
         SELECT account_id, album_id, added_at, removed_at IS NULL AS held, count(*) AS c FROM saved_albums GROUP BY ALL
         UNION ALL
         SELECT account_id, show_id, added_at, removed_at IS NULL AS held, count(*) AS c FROM saved_shows GROUP BY ALL
         UNION ALL
         SELECT account_id, episode_id, added_at, removed_at IS NULL AS held, count(*) AS c FROM saved_episodes GROUP BY ALL
       ) WHERE c > 1`,
        )
      )[0]!.n

    let original: string[] = []
    let beforeChange = ''

    it('lands the library exactly, with the catalog rows of what it holds', async () => {
      original = library()
      const { manifest } = await check()
      const account = lake.fake.catalog.user.accountId
      expect(manifest.units[`saved-tracks:${account}`]).toMatchObject({ status: 'extracted' })
      const held = await holdings()
      expect(held.map(keyOf).sort()).toEqual(original)
      expect(held.every((h) => h.removed_at === null)).toBe(true)
      const lakeDb = await db()
      const missing = await queryObjects(
        lakeDb,
        `SELECT s.track_id FROM saved_tracks AS s LEFT JOIN tracks AS t USING (track_id) WHERE t.track_id IS NULL
       UNION ALL
       SELECT s.album_id FROM saved_albums AS s LEFT JOIN albums AS a USING (album_id) WHERE a.album_id IS NULL`,
      )
      expect(missing).toEqual([])
      const accounts = await queryObjects(lakeDb, 'SELECT DISTINCT account_id FROM saved_tracks')
      expect(accounts).toEqual([{ account_id: account }])
    })

    it('an unchanged library costs one call per kind and adds no row', async () => {
      const { calls } = await check()
      for (const kind of ['tracks', 'albums', 'shows', 'episodes'])
        expect(calls(`/v1/me/${kind}`), kind).toBe(1)
      expect((await holdings()).map(keyOf).sort()).toEqual(original)
      expect(await duplicates()).toBe(0)
    })

    it('finds removals by the full listing and records them as removed_at; the past stays queryable', async () => {
      beforeChange = new Date().toISOString()
      lake.fake.advanceClock(DAY)
      const change = lake.fake.changeLibrary({
        saveTracks: 10,
        removeTracks: 3,
        saveAlbums: 1,
        removeAlbums: 1,
        saveShows: 1,
        removeEpisodes: 1,
        saveEpisodes: 2,
      })
      const { calls } = await check()
      // Fewer items than the lake holds plus the new ones: the check listed every page.
      expect(calls('/v1/me/tracks')).toBe(Math.ceil(lake.fake.catalog.library.savedTracks.length / 50))
      const all = await holdings()
      const removed = all.filter((h) => h.removed_at !== null)
      expect(removed.map((h) => `${h.kind}:${h.item_id}`).sort()).toEqual(
        [
          ...change.removedTracks.map((id) => `track:${id}`),
          ...change.removedAlbums.map((id) => `album:${id}`),
          ...change.removedEpisodes.map((id) => `episode:${id}`),
        ].sort(),
      )
      // Held now: exactly the fake's library.
      expect(
        all
          .filter((h) => h.removed_at === null)
          .map(keyOf)
          .sort(),
      ).toEqual(library())
      // What the library held before the change: one WHERE on the view.
      const past = await holdings(
        `added_at <= TIMESTAMP '${beforeChange.slice(0, 19)}' AND (removed_at IS NULL OR removed_at > TIMESTAMP '${beforeChange.slice(0, 19)}')`,
      )
      expect(past.map(keyOf).sort()).toEqual(original)
      expect(await duplicates()).toBe(0)
    })

    it('after the change, an unchanged library again costs one call per kind, and nothing repeats', async () => {
      const rowsBefore = await queryObjects(
        await db(),
        `SELECT (SELECT count(*) FROM saved_tracks) + (SELECT count(*) FROM saved_albums)
          + (SELECT count(*) FROM saved_shows) + (SELECT count(*) FROM saved_episodes) AS n`,
      )
      const { calls } = await check()
      for (const kind of ['tracks', 'albums', 'shows', 'episodes'])
        expect(calls(`/v1/me/${kind}`), kind).toBe(1)
      const rowsAfter = await queryObjects(
        await db(),
        `SELECT (SELECT count(*) FROM saved_tracks) + (SELECT count(*) FROM saved_albums)
          + (SELECT count(*) FROM saved_shows) + (SELECT count(*) FROM saved_episodes) AS n`,
      )
      expect(rowsAfter).toEqual(rowsBefore)
      expect(await duplicates()).toBe(0)
    })
  },
)
