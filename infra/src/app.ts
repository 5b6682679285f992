/** @module Builds the cdktf App (one LakeStack per environment) and synthesizes it without cdktf-cli. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { App } from 'cdktf'
import { ENVIRONMENT_NAMES, type EnvironmentName, environments } from './environments.ts'
import { type InsightQuery, readInsightQueries } from './insight-queries.ts'
import { LakeStack } from './lake-stack.ts'

/** The one folder of insight SQL: `sql/insights/` at the repository root (also run by the local engine). */
export const DEFAULT_INSIGHT_SQL_DIR = fileURLToPath(new URL('../../sql/insights/', import.meta.url))

/** Where `pnpm --filter @spotify-lake/infra synth` writes the committed Terraform JSON. */
export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url))

export function buildApp({
  outdir,
  insightQueries,
}: {
  outdir: string
  insightQueries: readonly InsightQuery[]
}): App {
  // skipValidation: validations need provider schemas, which only a downloaded provider has.
  const app = new App({ outdir, skipValidation: true })
  for (const name of ENVIRONMENT_NAMES) {
    new LakeStack(app, name, { environment: environments[name], insightQueries })
  }
  return app
}

/**
 * Synthesizes every stack into `outdir/stacks/<env>/cdk.tf.json` (the folder Terraform runs in) and
 * returns each stack's JSON text, which is also what `generated/<env>.tf.json` must hold.
 */
export function synthesizeStacks({
  outdir,
  sqlDir = DEFAULT_INSIGHT_SQL_DIR,
}: {
  outdir: string
  sqlDir?: string
}): Record<EnvironmentName, string> {
  const app = buildApp({ outdir, insightQueries: readInsightQueries({ dir: sqlDir }) })
  app.synth()
  return Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [
      name,
      readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
    ]),
  ) as Record<EnvironmentName, string>
}

export function generatedStackPath(name: EnvironmentName): string {
  return join(GENERATED_DIR, `${name}.tf.json`)
}
