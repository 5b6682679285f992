/** @module Entry of `pnpm --filter @spotify-lake/infra synth`: Terraform JSON into cdktf.out/ and generated/. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { GENERATED_DIR, generatedStackPath, synthesizeStacks } from './src/app.ts'
import { ENVIRONMENT_NAMES } from './src/environments.ts'

const outdir = fileURLToPath(new URL('./cdktf.out/', import.meta.url))
const stacks = synthesizeStacks({ outdir })
mkdirSync(GENERATED_DIR, { recursive: true })
for (const name of ENVIRONMENT_NAMES) {
  writeFileSync(generatedStackPath(name), stacks[name])
  console.log(`synth: ${name} -> cdktf.out/stacks/${name}/cdk.tf.json, generated/${name}.tf.json`)
}
