/** @module The real Queues of wrangler.jsonc: POST /refresh through to settled units, no hand delivery. */
import { exports } from 'cloudflare:workers'
import { type RunId, TERMINAL_UNIT_STATUSES, type UnitStatus } from '@spotify-lake/schemas'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { fakeAdmin, manifestOf, releaseGlobal, wipe } from './support/helpers.ts'
import { listKeys } from './support/s3-readback.ts'

const { secrets, development } = inject('spotify')
const started: RunId[] = []
afterEach(() => releaseGlobal(started.splice(0)))

describe('through the real queues of wrangler.jsonc', () => {
  it('POST /refresh -> EXTRACT queue -> consumer -> raw objects and catalog units, all settled', async () => {
    await fakeAdmin().reset()
    await wipe('state/')
    const playlistId = development.playlists.owned[1] as string
    const res = await exports.default.fetch(
      new Request('http://worker.test/refresh', {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.apiToken}` },
        body: JSON.stringify({ playlists: [playlistId] }),
      }),
    )
    expect(res.status).toBe(202)
    const runId = ((await res.json()) as { run_id: RunId }).run_id
    started.push(runId)

    // Miniflare delivers batches after max_batch_timeout: poll the coordinator until every unit settled.
    let units: Record<string, { status: UnitStatus }> = {}
    for (let i = 0; i < 120; i++) {
      units = (await manifestOf(runId))?.units ?? {}
      const keys = Object.keys(units)
      if (
        keys.some((k) => k.startsWith('artists:')) &&
        keys.every((k) => TERMINAL_UNIT_STATUSES.has(units[k]?.status ?? 'pending'))
      )
        break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(units[`playlist:${playlistId}:0`]?.status).toBe('extracted')
    expect(Object.keys(units).some((k) => k.startsWith('albums:'))).toBe(true)
    for (const [key, unit] of Object.entries(units)) expect([key, unit.status]).toEqual([key, 'extracted'])
    expect(await listKeys(`raw/playlists/`)).toContain(
      `raw/playlists/dt=${(await manifestOf(runId))?.dt}/${runId}/playlist-${playlistId}-p0000.json.gz`,
    )
  }, 60_000)
})
