/** @module Unchanged snapshots: the next run makes only metadata calls (with the item total); changed and forced runs fetch items. */
import type { ApiMode, RunId } from '@spotify-lake/schemas'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { startRun } from '../../src/run/start-run.ts'
import { playlistMetadataFields } from '../../src/sources/playlists/extract.ts'
import {
  actAsTransformer,
  drainExtract,
  extendedMode,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getEnvelope } from './support/s3-readback.ts'

const spotify = inject('spotify')
const started: RunId[] = []

beforeEach(async () => {
  await Promise.all([fakeAdmin('development').reset(), fakeAdmin('extended').reset()])
  await wipe('state/')
})
afterEach(() => releaseGlobal(started.splice(0)))

describe.each(['development', 'extended'] as const)('unchanged playlists in %s mode', (mode: ApiMode) => {
  const { owned } = spotify[mode].playlists
  const fake = fakeAdmin(mode)
  // The paging object of a playlist has the mode's name; the other name never appears.
  const [list, otherList] = mode === 'development' ? ['items', 'tracks'] : ['tracks', 'items']

  /** A full run (extract, then the transformer's part) so the next one may start; returns its id. */
  async function fullRun({ force = false }: { force?: boolean } = {}) {
    // The mode is configured, not probed: the request log then holds only the run's own calls.
    const t = testEnv({ ...(mode === 'extended' ? extendedMode() : {}), SPOTIFY_API_MODE: mode })
    const result = await startRun({
      env: t.env,
      sources: { playlists: owned, myPlaylists: false },
      trigger: 'cron',
      force,
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await drainExtract(t)
    await actAsTransformer(t)
    await releaseGlobal([result.runId])
    return result.runId
  }

  it('are skipped with one metadata call each (item total included) on the next run, and re-extracted once they change', async () => {
    await fullRun()

    await fake.reset()
    const second = await fullRun()
    const calls = await fake.requests()
    expect(playlistMetadataFields(mode)).toMatch(new RegExp(`,${list}\\.total$`))
    expect(calls.map((r) => `${r.method} ${r.path}?fields=${r.query.fields}`).sort()).toEqual(
      owned.map((id) => `GET /v1/playlists/${id}?fields=${playlistMetadataFields(mode)}`).sort(),
    )
    const totals = await fake.totals()
    const manifest = await manifestOf(second)
    for (const id of owned) {
      const unit = manifest?.units[`playlist:${id}:0`]
      expect(unit).toMatchObject({ status: 'unchanged', rawKeys: [expect.stringContaining(id)] })
      // The metadata answer is kept in raw like every other byte from Spotify.
      const envelope = await getEnvelope(unit?.rawKeys[0] as string)
      expect(envelope.responses).toHaveLength(1)
      // A full `playlists` row: the metadata and the playlist's size, without a partial list of items.
      const body = JSON.parse(envelope.responses[0]?.body ?? '{}')
      expect(body).toMatchObject({
        id,
        type: 'playlist',
        snapshot_id: expect.any(String),
        owner: { id: expect.any(String) },
      })
      expect(totals[id]).toBeGreaterThan(0)
      expect(body[list]).toEqual({ total: totals[id] })
      expect(body).not.toHaveProperty(otherList)
    }
    expect(Object.keys(manifest?.units ?? {}).filter((k) => !k.startsWith('playlist:'))).toEqual([])
    expect(manifest?.api.calls).toBe(owned.length)

    // One playlist changes: only it is fetched again, items and all.
    const changed = owned[1] as string
    const { snapshot_id } = await fake.mutate(changed, { size: 12 })
    const third = await fullRun()
    const units = (await manifestOf(third))?.units ?? {}
    expect(units[`playlist:${changed}:0`]).toMatchObject({ status: 'extracted', itemsSeen: 12 })
    for (const id of owned.filter((id) => id !== changed))
      expect(units[`playlist:${id}:0`]?.status).toBe('unchanged')
    const envelope = await getEnvelope(units[`playlist:${changed}:0`]?.rawKeys[0] as string)
    expect(envelope.unit).toMatchObject({ type: 'playlist', playlistId: changed, snapshotId: snapshot_id })

    // A forced run skips the shortcut: every playlist is fetched in full.
    const forced = await fullRun({ force: true })
    const forcedUnits = (await manifestOf(forced))?.units ?? {}
    for (const id of owned) expect(forcedUnits[`playlist:${id}:0`]?.status).toBe('extracted')
  })
})
