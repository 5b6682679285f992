/** @module The RunCoordinator Durable Object through real stubs: S3 mirror under concurrent RPCs, finalize, lock. */
import { env } from 'cloudflare:workers'
import { globalStub, runStub } from '@spotify-lake/run-coordinator'
import { newRunId, type RunId } from '@spotify-lake/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import { releaseGlobal } from './support/helpers.ts'
import { getText } from './support/s3-readback.ts'

const started: RunId[] = []
afterEach(() => releaseGlobal(started.splice(0)))

describe('RunCoordinator', () => {
  it('keeps the S3 manifest equal to the live one when many reports race', async () => {
    const runId = newRunId()
    const run = runStub(env.RUN_COORDINATOR, runId)
    await run.begin({ runId, dt: '2026-11-21', trigger: 'cli', force: false })
    const units = Array.from({ length: 30 }, (_, i) => ({
      key: `albums:${i}`,
      unit: { type: 'albums' as const, ids: [`a${i}`], batch: i },
    }))
    await Promise.all(units.map((u) => run.planUnits([u])))
    await Promise.all(
      units.map((u, i) =>
        run.unitExtracted({ key: u.key, rawKeys: [`raw/albums/${i}`], itemsSeen: 1, api: { calls: 1 } }),
      ),
    )
    const live = await run.manifest()
    expect(Object.values(live?.units ?? {}).every((u) => u.status === 'extracted')).toBe(true)
    expect(live?.api.calls).toBe(30)
    expect(JSON.parse(await getText(`runs/${runId}.json`))).toEqual(live)
  })

  it('finalizes once, writes the closed manifest and releases the global lock', async () => {
    const runId = newRunId()
    started.push(runId)
    const global = globalStub(env.RUN_COORDINATOR)
    expect(await global.acquire({ runId, force: false })).toEqual({ acquired: true })
    const other = newRunId()
    expect((await global.acquire({ runId: other, force: false })).acquired).toBe(false)

    const run = runStub(env.RUN_COORDINATOR, runId)
    await run.begin({ runId, dt: '2026-11-21', trigger: 'cron', force: false })
    await run.planUnits([
      { key: 'my-playlists', unit: { type: 'my-playlists', accountId: 'a1', userId: 'u1' } },
    ])
    await run.unitExtracted({ key: 'my-playlists', rawKeys: ['raw/playlists/x'], itemsSeen: 3 })
    expect(await run.claimFinalize('raw/playlists/x')).toBe(false)
    await run.rawTransformed({
      rawKey: 'raw/playlists/x',
      tables: { playlists: { rows: 3, rejected: 0 } },
      rejects: {},
      itemsSeen: 3,
    })
    expect(await run.progress()).toMatchObject({ transformed: 1, staged: { itemsSeen: 3 } })
    expect(await run.claimFinalize('raw/playlists/x')).toBe(true)
    expect(await run.claimFinalize('someone-else')).toBe(false)

    await run.finalized({
      status: 'succeeded',
      tables: { playlists: { rows: 3, rejected: 0, duplicates: 0, bytes: 812 } },
      reconciliation: { itemsSeen: 3, rowsWritten: 3, rowsRejected: 0, ok: true },
    })
    const stored = JSON.parse(await getText(`runs/${runId}.json`))
    expect(stored).toMatchObject({ status: 'succeeded', reconciliation: { ok: true } })
    expect(stored.finishedAt).toBeDefined()
    expect(await global.acquire({ runId: other, force: false })).toEqual({ acquired: true })
    started.push(other)
  })
})
