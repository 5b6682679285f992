import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { queuesOfWranglerConfig, workerQueues } from '../src/worker-queues.ts'

const config = `// a comment, as wrangler.jsonc files have
{
  "name": "w",
  "queues": {
    "producers": [{ "binding": "A", "queue": "q-a" }, { "binding": "B", "queue": "q-b" }],
    "consumers": [
      { "queue": "q-a", "dead_letter_queue": "q-a-dlq" }, // trailing comment
      { "queue": "q-a-dlq" },
    ],
  },
}
`

describe('queuesOfWranglerConfig', () => {
  it('lists produced, consumed and dead-letter queues once each, reading JSONC', () => {
    expect(queuesOfWranglerConfig({ text: config, path: 'wrangler.jsonc' })).toEqual([
      'q-a',
      'q-b',
      'q-a-dlq',
    ])
  })

  it('is empty for a config without queues and fails clearly on a broken file', () => {
    expect(queuesOfWranglerConfig({ text: '{ "name": "w" }', path: 'x.jsonc' })).toEqual([])
    expect(() => queuesOfWranglerConfig({ text: '{ "name": ', path: 'broken.jsonc' })).toThrow(
      /broken\.jsonc/,
    )
  })
})

describe('workerQueues', () => {
  it('merges the queues of the app configs that exist, skipping apps not written yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'repo-'))
    mkdirSync(join(root, 'apps/transformer'), { recursive: true })
    writeFileSync(join(root, 'apps/transformer/wrangler.jsonc'), config)
    expect(workerQueues({ root: `${root}/` })).toEqual(['q-a', 'q-b', 'q-a-dlq'])
  })
})
