/** @module Starts the local S3 in Node for the workerd tests and hands them its endpoint (operator's key pair). */
import type { TestProject } from 'vitest/node'
import { type ProvidedS3, provideLocalS3 } from '../../src/testing.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    s3: ProvidedS3
  }
}

export default async function setup(project: TestProject) {
  const local = await provideLocalS3(project, { bucket: 'workerd-test' })
  return () => local.close()
}
