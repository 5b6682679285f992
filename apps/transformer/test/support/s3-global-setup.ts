/** @module Starts the local S3 (IAM-gated) in Node for the workerd tests; its endpoint reaches the Worker as S3_* bindings. */
import { OPERATOR, startS3rver } from '@spotify-lake/lake-store/testing'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The transformer's own key pair (its IAM user, with the policy infra deploys): the Worker's bindings. */
    s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string }
    /** The operator's key pair: tests seed raw objects (the worker's job) and read back with it. */
    s3Operator: { accessKeyId: string; secretAccessKey: string }
  }
}

export default async function setup(project: TestProject) {
  const local = await startS3rver({ bucket: 'transformer-workerd' })
  const { endpoint, bucket, credentials } = local
  project.provide('s3', { endpoint, bucket, ...credentials['spotify-lake-transformer'] })
  project.provide('s3Operator', credentials[OPERATOR])
  return () => local.close()
}
