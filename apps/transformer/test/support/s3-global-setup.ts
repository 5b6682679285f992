/** @module Starts s3rver in Node for the workerd tests; its endpoint reaches the Worker as S3_* bindings. */
import { startS3rver } from '@spotify-lake/lake-store/testing'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string }
  }
}

export default async function setup(project: TestProject) {
  const local = await startS3rver({ bucket: 'transformer-workerd' })
  const { endpoint, bucket, accessKeyId, secretAccessKey } = local
  project.provide('s3', { endpoint, bucket, accessKeyId, secretAccessKey })
  return () => local.close()
}
