/**
 * @module The synthesized stacks: `generated/<env>.tf.json` is the one committed record of a synthesis (what
 * Terraform applies and a reviewer diffs), so it is held fresh here instead of a second copy in a snapshot.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generatedStackPath, synthesizeStacks } from '../src/app.ts'
import { ENVIRONMENT_NAMES } from '../src/environments.ts'

const STALE = 'run `pnpm --filter @spotify-lake/infra synth` and commit infra/generated/'

describe('synthesis without cdktf-cli', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'))
  const stacks = synthesizeStacks({ outdir })

  it.each(ENVIRONMENT_NAMES)(
    'writes the %s stack where terraform runs, and the committed copy is fresh',
    (name) => {
      const written = readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')
      expect(written).toBe(stacks[name])
      const committed = readFileSync(generatedStackPath(name), 'utf8')
      if (committed !== written) throw new Error(`infra/generated/${name}.tf.json is stale: ${STALE}`)
    },
  )

  it.each(ENVIRONMENT_NAMES)(
    'writes stable Terraform JSON for %s: no machine paths, remote state with locking',
    (name) => {
      const text = stacks[name]
      expect(text).not.toContain(outdir)
      expect(text).not.toContain(process.cwd())
      expect(text).not.toMatch(/\/(home|root|tmp|Users)\//)
      const json = JSON.parse(text) as { terraform: { backend: { s3: Record<string, unknown> } } }
      expect(json.terraform.backend.s3).toEqual({
        key: `spotify-lake/${name}.tfstate`,
        encrypt: true,
        use_lockfile: true,
      })
      // Synthesizing twice gives the same bytes.
      expect(synthesizeStacks({ outdir: mkdtempSync(join(tmpdir(), 'infra-synth-')) })[name]).toBe(text)
    },
  )
})
