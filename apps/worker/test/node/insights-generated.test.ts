/** @module The Worker bundles sql/insights/ as src/dashboard/insights.generated.ts: it must not be stale. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseInsight } from '@spotify-lake/dashboard'
import { describe, expect, it } from 'vitest'
import { INSIGHTS } from '../../src/dashboard/insights.generated.ts'

const dir = fileURLToPath(new URL('../../../../sql/insights/', import.meta.url).href)

describe('insights.generated.ts', () => {
  it('holds every insight file as it is now (regenerate: pnpm --filter @spotify-lake/worker insights)', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => parseInsight({ name: f.slice(0, -4), text: readFileSync(join(dir, f), 'utf8') }))
    expect(INSIGHTS).toEqual(files)
  })
})
