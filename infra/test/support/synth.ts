/** @module Test helpers: synthesize a stack in memory and read its resources as declared JSON shapes. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PolicyDocument } from '@spotify-lake/lake-iam'
import { Testing } from 'cdktf'
import { buildApp } from '../../src/app.ts'
import type { EnvironmentName } from '../../src/environments.ts'
import { type InsightQuery, readInsightQueries } from '../../src/insight-queries.ts'
import type { LakeStack } from '../../src/lake-stack.ts'

export const FIXTURE_SQL_DIR = fileURLToPath(new URL('../fixtures/sql/', import.meta.url))

/** Terraform JSON as synthesized: `resource.<type>.<logical id> = attributes`. */
export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>
  output: Record<string, { value: string; sensitive?: boolean; description?: string }>
  variable: Record<string, { type: string }>
  terraform: { backend: Record<string, Record<string, unknown>> }
}

export interface SynthesizedStack {
  /** What `Testing.synth` returns: sorted keys, no cdktf metadata (the snapshot form). */
  text: string
  json: TerraformJson
}

export function synthStack({
  environment,
  insightQueries = readInsightQueries({ dir: FIXTURE_SQL_DIR }),
}: {
  environment: EnvironmentName
  insightQueries?: readonly InsightQuery[]
}): SynthesizedStack {
  const app = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'infra-test-')), insightQueries })
  const stack = app.node.findChild(environment) as LakeStack
  const text = Testing.synth(stack)
  return { text, json: JSON.parse(text) as TerraformJson }
}

/** Every resource of a type, as `[logical id, attributes]`. */
export function resourcesOf<T = Record<string, unknown>>(json: TerraformJson, type: string): [string, T][] {
  return Object.entries(json.resource[type] ?? {}) as [string, T][]
}

/** `${aws_s3_bucket.<id>.<attribute>}`: how a synthesized attribute refers to a bucket. */
export function bucketRef(bucketId: string, attribute: 'id' | 'arn' | 'bucket'): string {
  return `\${aws_s3_bucket.${bucketId}.${attribute}}`
}

export function parsePolicy(policy: unknown): PolicyDocument {
  if (typeof policy !== 'string') throw new Error('policy is not a JSON string')
  return JSON.parse(policy) as PolicyDocument
}
