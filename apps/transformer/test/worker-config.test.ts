/** @module The Worker's deploy config: queue consumer limits, DLQ, bindings, and generated types that are not stale. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'

const root = `${import.meta.dirname}/..`
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> }

describe('wrangler.jsonc', () => {
  const config = unstable_readConfig({ config: `${root}/wrangler.jsonc` })

  it('consumes TRANSFORM in small batches with bounded retries into a dead-letter queue, and produces to it', () => {
    expect(config.name).toBe('spotify-lake-transformer')
    expect(config.compatibility_date).toBe('2026-10-01')
    expect(config.compatibility_flags).toContain('nodejs_compat')
    expect(config.queues.consumers).toEqual([
      expect.objectContaining({
        queue: 'spotify-lake-transform',
        max_batch_size: 5,
        max_retries: 5,
        dead_letter_queue: 'spotify-lake-transform-dlq',
      }),
      // Its own dead letters, turned into `dead_lettered` rejects.
      expect.objectContaining({ queue: 'spotify-lake-transform-dlq' }),
    ])
    expect(config.queues.producers).toEqual([
      expect.objectContaining({ binding: 'TRANSFORM', queue: 'spotify-lake-transform' }),
    ])
  })

  it('binds the RunCoordinator hosted by the extraction Worker, and keeps S3 keys out of vars', () => {
    expect(config.durable_objects.bindings).toEqual([
      { name: 'RUN_COORDINATOR', class_name: 'RunCoordinator', script_name: 'spotify-lake-worker' },
    ])
    expect(Object.keys(config.vars).sort()).toEqual(['S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION'])
  })

  it('has an up-to-date worker-configuration.d.ts (the check:types script, wrangler types --check)', () => {
    // The flags the types were generated with are part of the check: take them from the one script.
    const [command, ...args] = (pkg.scripts['check:types'] ?? '').split(' ')
    expect(command).toBe('wrangler')
    // Throws (non-zero exit) when the generated types no longer match wrangler.jsonc.
    const out = execFileSync(command!, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' })
    expect(out).toContain('up to date')
  })
})
