/** @module What the Node globalSetup (s3-global-setup.ts) hands the workerd tests through vitest's `inject`. */
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The transformer's own key pair (its IAM user, with the policy infra deploys): the Worker's bindings. */
    s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string }
    /** The operator's key pair: tests seed raw objects (the worker's job) and read back with it. */
    s3Operator: { accessKeyId: string; secretAccessKey: string }
  }
}
