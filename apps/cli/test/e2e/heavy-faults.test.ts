/**
 * @module E2e progress under a heavy fault rate: most playlist calls fail with 5xx, often more times in
 * a row than the client retries. A run of 3,000 items still finishes, because a part that secured pages
 * keeps them and the next part resumes from there (no page of items is fetched twice), and redelivery
 * backoff stays short.
 */
import type { FakeFaults } from '@spotify-lake/spotify-client/fake'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchManifest, triggerRun, waitForRun } from '../../src/local/run-local.ts'
import { expectedRows, expectReconciled, expectRunObjects } from './support/assert-run.ts'
import { expectedLake } from './support/expected.ts'
import { describeRun, type E2eStack, logTail, startE2eStack } from './support/stack.ts'

const MODE = 'development'
const DT = '2026-06-01'
const PLAYLISTS = 6
/** Five of the six playlists are the user's own (development mode reads only those): 3,000 items. */
const ITEMS = 600
/** 70% of playlist calls fail; the client's five attempts all fail for about one page in six. */
const HEAVY: FakeFaults = { serverErrors: { rate: 0.7, statuses: [500, 502, 503], path: '/v1/playlists/*' } }

describe('a heavy fault rate through the local stack', () => {
  let lake: E2eStack

  beforeAll(async () => {
    lake = await startE2eStack({ mode: MODE, seed: 47, playlists: PLAYLISTS, items: ITEMS, faults: HEAVY })
  })
  afterAll(async () => {
    await lake?.close()
  })

  it('finishes a run of 3,000 items, keeping every page it secured', { timeout: 540_000 }, async () => {
    const { stack, fake } = lake
    const started = Date.now()
    const runId = await triggerRun({ workerUrl: stack.workerUrl, apiToken: stack.apiToken, dt: DT })
    const final = await waitForRun({
      workerUrl: stack.workerUrl,
      apiToken: stack.apiToken,
      runId,
      // Whole-message retries from the first page, with minutes of backoff, took longer than this.
      timeoutMs: 480_000,
      intervalMs: 1_000,
    }).catch(async (error: Error) => {
      const m = await fetchManifest(stack.workerUrl, stack.apiToken, runId)
      throw new Error(`${error.message}\n${describeRun(m)}\n${logTail(stack.logFile)}`)
    })

    const expected = expectedLake(fake.catalog, MODE)
    expect(expected.playlistItems).toBeGreaterThanOrEqual(3000)
    expectReconciled(final, expectedRows(expected))
    await expectRunObjects(lake.store, final)

    // The faults bit: parts were cut short after securing pages, and the rest went on in the next part.
    const interrupted = final.errors.filter((e) => /pages already fetched are kept/.test(e.message))
    expect(interrupted.length, describeRun(final)).toBeGreaterThan(0)
    expect(new Set(interrupted.map((e) => e.reason))).toEqual(new Set(['spotify_unavailable']))
    // Every page of items Spotify delivered was delivered once: nothing secured was fetched again.
    const pages = new Map<string, number>()
    for (const r of fake.requests) {
      if (r.status !== 200 || !/^\/v1\/playlists\/[^/]+\/items$/.test(r.path)) continue
      const key = `${r.path}?offset=${r.query.offset ?? 0}`
      pages.set(key, (pages.get(key) ?? 0) + 1)
    }
    expect(pages.size).toBeGreaterThan(PLAYLISTS * 5)
    expect([...pages].filter(([, n]) => n > 1)).toEqual([])
    console.info(
      `heavy faults: ${expected.playlistItems} items in ${((Date.now() - started) / 1000).toFixed(0)} s, ${interrupted.length} parts cut short, ${final.api.retries} client retries`,
    )
  })
})
