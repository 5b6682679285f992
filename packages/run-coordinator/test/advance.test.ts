import type { ExtractMessage, FinalizeMessage } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { type AdvanceCoordinator, advanceRun } from '../src/advance.ts'
import { RunLedger } from '../src/run-ledger.ts'
import { memoryKv } from './support/memory-kv.ts'

const runId = '20261121T010203456Z-abc123'
const dt = '2026-11-21'

/** A real ledger behind the coordinator's async surface, and queues that record what they got. */
function setup() {
  const ledger = new RunLedger({ kv: memoryKv() })
  ledger.begin({ runId, dt, trigger: 'cron', force: false })
  const run: AdvanceCoordinator = {
    flushCatalog: async (claimant) => ledger.flushCatalog(claimant),
    claimFinalize: async (claimant) => ledger.claimFinalize(claimant),
    progress: async () => ledger.progress(),
    manifest: async () => ledger.manifest(),
  }
  const finalizes: FinalizeMessage[] = []
  const extracts: ExtractMessage[] = []
  const transformQueue = { send: async (body: unknown) => void finalizes.push(body as FinalizeMessage) }
  const extractQueue = {
    sendBatch: async (batch: Iterable<{ body: unknown }>) => {
      for (const { body } of batch) extracts.push(body as ExtractMessage)
    },
  }
  return { ledger, run, finalizes, extracts, transformQueue, extractQueue }
}

const playlistUnit = { type: 'playlist' as const, playlistId: 'p1', offset: 0, part: 0 }

describe('advanceRun', () => {
  it('sends the waiting catalog ids as the last batches before it lets the run finalize', async () => {
    const { ledger, run, finalizes, extracts, transformQueue, extractQueue } = setup()
    ledger.planUnits([{ key: 'playlist:p1:0', unit: playlistUnit }])
    ledger.planCatalog({ parentKey: 'playlist:p1:0', kind: 'albums', ids: ['a1', 'a2'], batchSize: 20 })
    ledger.unitExtracted({ key: 'playlist:p1:0', rawKeys: [], itemsSeen: 2 })
    const args = { run, runId, dt, claimant: 'playlist:p1:0', transformQueue, extractQueue }
    expect(await advanceRun(args)).toBe('catalog-flushed')
    expect(extracts.map((m) => m.unit)).toEqual([{ type: 'albums', ids: ['a1', 'a2'], batch: 0 }])
    expect(finalizes).toEqual([])
    // Once the last batch has settled, nothing waits: the run finalizes.
    ledger.unitExtracted({ key: 'albums:0', rawKeys: [], itemsSeen: 2 })
    expect(await advanceRun({ ...args, claimant: 'albums:0' })).toBe('finalize-sent')
    expect(finalizes).toEqual([{ v: 1, kind: 'finalize', runId, dt }])
  })

  it('sends the finalize once, again only to the same claimant or a redelivered transform', async () => {
    const { ledger, run, finalizes, transformQueue } = setup()
    ledger.planUnits([{ key: 'playlist:p1:0', unit: playlistUnit }])
    ledger.unitExtracted({ key: 'playlist:p1:0', rawKeys: ['raw/x'], itemsSeen: 0 })
    const base = { run, runId, dt, transformQueue }
    expect(await advanceRun({ ...base, claimant: 'raw/x' })).toBe('open')
    ledger.rawTransformed({ rawKey: 'raw/x', tables: {}, rejects: {}, itemsSeen: 0 })
    expect(await advanceRun({ ...base, claimant: 'raw/x' })).toBe('finalize-sent')
    expect(await advanceRun({ ...base, claimant: 'other' })).toBe('open')
    expect(await advanceRun({ ...base, claimant: 'raw/x' })).toBe('finalize-sent')
    expect(await advanceRun({ ...base, resend: true })).toBe('finalize-sent')
    expect(finalizes).toHaveLength(3)
  })
})
