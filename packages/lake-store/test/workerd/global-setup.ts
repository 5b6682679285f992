/** @module Starts s3rver in Node for the workerd tests and hands them its endpoint. */
import type { TestProject } from 'vitest/node'
import { startS3rver } from '../../src/testing.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string }
  }
}

export default async function setup(project: TestProject) {
  const local = await startS3rver({ bucket: 'workerd-test' })
  const { endpoint, bucket, accessKeyId, secretAccessKey } = local
  project.provide('s3', { endpoint, bucket, accessKeyId, secretAccessKey })
  return () => local.close()
}
