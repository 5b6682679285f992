/** @module `WorkerAccess`: one IAM user per Worker, allowed only the object actions on the prefixes it uses. */
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key'
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy'
import { IamUser } from '@cdktf/provider-aws/lib/iam-user'
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy'
import { Construct } from 'constructs'
import { objectArn, type PolicyStatement, toPolicyJson } from './iam-policy.ts'
import { LAKE_PREFIXES, type LakePrefix } from './lake-bucket.ts'

export const WORKER_NAMES = ['spotify-lake-worker', 'spotify-lake-transformer'] as const
export type WorkerName = (typeof WORKER_NAMES)[number]

export type ObjectAccess = 'read' | 'write' | 'delete'

export interface PrefixGrant {
  prefix: LakePrefix
  access: readonly ObjectAccess[]
}

/**
 * What each Worker may do, by prefix. The worker plans runs, extracts from Spotify into raw/, serves run
 * manifests and replays raw runs; the transformer turns raw into staging, compacts staging into tables/
 * and rejected/, and finalises runs/. Change a Worker's S3 use, change this table (and only this).
 */
export const workerGrants: Readonly<Record<WorkerName, readonly PrefixGrant[]>> = {
  'spotify-lake-worker': [
    { prefix: 'raw/', access: ['read', 'write'] },
    { prefix: 'runs/', access: ['read', 'write'] },
    { prefix: 'state/', access: ['read', 'write'] },
  ],
  'spotify-lake-transformer': [
    { prefix: 'raw/', access: ['read'] },
    { prefix: 'staging/', access: ['read', 'write', 'delete'] },
    { prefix: 'staging-rejected/', access: ['read', 'write', 'delete'] },
    { prefix: 'tables/', access: ['read', 'write'] },
    { prefix: 'rejected/', access: ['read', 'write'] },
    { prefix: 'runs/', access: ['read', 'write'] },
    { prefix: 'state/', access: ['read', 'write'] },
  ],
}

const actionsByAccess: Readonly<Record<ObjectAccess, readonly string[]>> = {
  read: ['s3:GetObject'],
  // Multipart uploads of large Parquet files must be abortable by the writer that started them.
  write: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  delete: ['s3:DeleteObject'],
}

/** The policy statements of one Worker: object actions per prefix, plus listing the lake bucket. */
export function workerStatements({
  grants,
  bucketArn,
}: {
  grants: readonly PrefixGrant[]
  bucketArn: string
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      // Unconditional on purpose: without s3:ListBucket, S3 answers a GET of a missing key with 403 instead
      // of 404, and the Workers read optional objects (state, manifests). Listing shows key names only.
      Sid: 'ListLakeBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucketArn],
    },
  ]
  for (const access of ['read', 'write', 'delete'] as const) {
    const prefixes = grants.filter((grant) => grant.access.includes(access)).map((grant) => grant.prefix)
    if (prefixes.length === 0) continue
    statements.push({
      Sid: `${access[0]!.toUpperCase()}${access.slice(1)}Objects`,
      Effect: 'Allow',
      Action: actionsByAccess[access],
      Resource: prefixes.map((prefix) => objectArn({ bucketArn, prefix })),
    })
  }
  return statements
}

/**
 * The permissions boundary of every Worker user: the most any Worker could ever be allowed (object actions
 * in the lake's prefixes). The deploy role may only create or change users that carry it, so even a
 * tampered deploy cannot turn a Worker user into anything wider.
 */
export function workerBoundaryStatements({ bucketArn }: { bucketArn: string }): PolicyStatement[] {
  return workerStatements({
    grants: LAKE_PREFIXES.map((prefix) => ({ prefix, access: ['read', 'write', 'delete'] })),
    bucketArn,
  })
}

/** Where Worker users and their boundary live, so the deploy role's grants can name them exactly. */
export const WORKER_IAM_PATH = '/spotify-lake/'

export function workerUserName({ namePrefix, worker }: { namePrefix: string; worker: WorkerName }): string {
  return `${namePrefix}-${worker.replace('spotify-lake-', '')}`
}

export function workerBoundaryName(namePrefix: string): string {
  return `${namePrefix}-worker-boundary`
}

export interface WorkerAccessProps {
  namePrefix: string
  bucketArn: string
}

export interface WorkerCredentials {
  user: IamUser
  accessKey: IamAccessKey
}

export class WorkerAccess extends Construct {
  readonly credentials: Readonly<Record<WorkerName, WorkerCredentials>>

  constructor(scope: Construct, id: string, { namePrefix, bucketArn }: WorkerAccessProps) {
    super(scope, id)
    const boundary = new IamPolicy(this, 'boundary', {
      name: workerBoundaryName(namePrefix),
      path: WORKER_IAM_PATH,
      description: 'Upper bound of what any spotify-lake Worker user may do.',
      policy: toPolicyJson(workerBoundaryStatements({ bucketArn })),
    })
    const entries = WORKER_NAMES.map((worker): [WorkerName, WorkerCredentials] => {
      const role = worker.replace('spotify-lake-', '')
      // An IAM user with a static key: Workers cannot assume roles through OIDC, so the key is handed to
      // them as Worker secrets by the deploy workflow and rotated by replacing this key (docs/deploy.md).
      const user = new IamUser(this, `${role}-user`, {
        name: workerUserName({ namePrefix, worker }),
        path: WORKER_IAM_PATH,
        permissionsBoundary: boundary.arn,
      })
      new IamUserPolicy(this, `${role}-policy`, {
        name: `${namePrefix}-${role}-lake-access`,
        user: user.name,
        policy: toPolicyJson(workerStatements({ grants: workerGrants[worker], bucketArn })),
      })
      const accessKey = new IamAccessKey(this, `${role}-access-key`, { user: user.name })
      return [worker, { user, accessKey }]
    })
    this.credentials = Object.fromEntries(entries) as Record<WorkerName, WorkerCredentials>
  }
}
