/** @module Starts the local S3 (IAM-gated) in Node for the workerd tests; its endpoint reaches the Worker as S3_* bindings. */
import { provideLocalS3 } from '@spotify-lake/lake-store/testing'
import type { TestProject } from 'vitest/node'

// The shape of what is provided: provided-context.d.ts (shared with the workerd tests' tsconfig).

export default async function setup(project: TestProject) {
  const local = await provideLocalS3(project, {
    bucket: 'transformer-workerd',
    as: 'spotify-lake-transformer',
  })
  return () => local.close()
}
