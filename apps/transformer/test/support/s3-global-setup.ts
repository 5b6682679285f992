/** @module Starts the local S3 (IAM-gated) in Node for the workerd tests; its endpoint reaches the Worker as S3_* bindings. */
import { OPERATOR, startS3rver } from '@spotify-lake/lake-store/testing'
import type { TestProject } from 'vitest/node'

// The shape of what is provided: provided-context.d.ts (shared with the workerd tests' tsconfig).

export default async function setup(project: TestProject) {
  const local = await startS3rver({ bucket: 'transformer-workerd' })
  const { endpoint, bucket, credentials } = local
  project.provide('s3', { endpoint, bucket, ...credentials['spotify-lake-transformer'] })
  project.provide('s3Operator', credentials[OPERATOR])
  return () => local.close()
}
