/**
 * @module Node-only: the local S3 for tests and the local stack. A real S3-protocol server (s3rver) on
 * loopback behind the IAM gate, so callers meet what AWS enforces: SigV4 signatures, and each Worker's
 * own IAM policy (built by @spotify-lake/lake-iam, the code infra deploys from).
 */
/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import type { PrefixGrant, WorkerName } from '@spotify-lake/lake-iam'
// s3rver ships no types; its constructor options are documented in its README.
import S3rver from 's3rver'
import { type Denial, type GateRequest, startIamGate } from './local-s3/iam-gate.ts'
import {
  type LocalCredentials,
  type LocalPrincipalName,
  localIdentities,
  newLocalCredentialSet,
  OPERATOR,
} from './local-s3/identities.ts'

export type { Denial, GateRequest } from './local-s3/iam-gate.ts'
export {
  LOCAL_ACCOUNT_ID,
  LOCAL_PRINCIPALS,
  type LocalCredentials,
  type LocalIdentity,
  type LocalPrincipalName,
  localIdentities,
  newLocalCredentialSet,
  newLocalCredentials,
  OPERATOR,
} from './local-s3/identities.ts'

export interface LocalS3 {
  endpoint: string
  bucket: string
  /** The operator's key pair (admin of the lake bucket): the CLI and tests reading back sign with it. */
  accessKeyId: string
  secretAccessKey: string
  /** Every principal's key pair: each Worker signs with its own, so the gate knows who is asking. */
  credentials: Readonly<Record<LocalPrincipalName, LocalCredentials>>
  region: string
  directory: string
  /** An AWS SDK client (operator credentials) set up the way s3rver needs it, for reading back. */
  s3: S3Client
  /** Requests the IAM gate refused, oldest first. */
  readonly denials: readonly Denial[]
  close(): Promise<void>
}

export interface StartS3rverOptions {
  /** Port of the S3 endpoint (the gate); 0 picks a free one. */
  port?: number
  bucket?: string
  /** Where objects live on disk; a fresh temp folder (removed on close) when omitted. */
  directory?: string
  silent?: boolean
  /** Key pairs per principal (fresh random ones by default); reuse them to restart with the same callers. */
  credentials?: Record<LocalPrincipalName, LocalCredentials>
  /** Narrows a Worker's grants (tests of the denial path); by default each has exactly `workerGrants`. */
  grants?: Partial<Record<WorkerName, readonly PrefixGrant[]>>
  onDenied?: (denial: Denial) => void
  /** Every answered request (principal, operation, status): benchmarks count S3 requests with it. */
  onRequest?: (entry: GateRequest) => void
}

const REGION = 'us-east-1'

export async function startS3rver({
  port = 0,
  bucket = 'spotify-lake',
  directory,
  silent = true,
  credentials = newLocalCredentialSet(),
  grants,
  onDenied,
  onRequest,
}: StartS3rverOptions = {}): Promise<LocalS3> {
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'lake-s3-')))
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  })
  const address = (await server.run()) as AddressInfo
  const gate = await startIamGate({
    upstream: `http://127.0.0.1:${address.port}`,
    buckets: [bucket],
    identities: localIdentities({ bucket, credentials, ...(grants ? { grants } : {}) }),
    region: REGION,
    port,
    ...(onDenied ? { onDenied } : {}),
    ...(onRequest ? { onRequest } : {}),
  }).catch(async (error: unknown) => {
    await server.close()
    throw error
  })
  const operator = credentials[OPERATOR]
  const s3 = new S3Client({
    endpoint: gate.endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: operator,
    // s3rver stores aws-chunked framing of checksummed streaming uploads verbatim: only checksum when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return {
    endpoint: gate.endpoint,
    bucket,
    accessKeyId: operator.accessKeyId,
    secretAccessKey: operator.secretAccessKey,
    credentials,
    region: REGION,
    directory: dir,
    s3,
    get denials() {
      return gate.denials
    },
    async close() {
      s3.destroy()
      await gate.close()
      await server.close()
      if (!directory) await rm(dir, { recursive: true, force: true })
    },
  }
}

/** What a vitest globalSetup provides to workerd tests: where the local S3 is and a key pair to sign with. */
export interface ProvidedS3 {
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
}

/**
 * The body of a vitest `globalSetup` for tests inside workerd (which cannot start servers): starts the
 * local S3 and provides `s3` (signed as `as`, default the operator) and `s3Operator` (the operator's pair,
 * for seeding and reading back). The caller's tests read them with `inject('s3')`, `inject('s3Operator')`.
 *
 * @returns the running local S3 and its `close`, what the globalSetup returns as its teardown
 * @example
 * export default (project: TestProject) => provideLocalS3(project, { bucket: 'workerd-test' }).then((s3) => s3.close)
 */
export async function provideLocalS3(
  project: { provide(key: 's3' | 's3Operator', value: unknown): void },
  { as = OPERATOR, ...options }: StartS3rverOptions & { as?: LocalPrincipalName } = {},
): Promise<LocalS3> {
  const local = await startS3rver(options)
  const { endpoint, bucket, credentials } = local
  project.provide('s3', { endpoint, bucket, ...credentials[as] } satisfies ProvidedS3)
  project.provide('s3Operator', credentials[OPERATOR])
  return local
}
