/** @module What each Worker may do in the lake bucket: the one table of grants, and the policies built from it. */
import { LAKE_PREFIXES, type LakePrefix } from './lake-prefixes.ts'
import { objectArn, type PolicyStatement } from './policy-document.ts'

export const WORKER_NAMES = ['spotify-lake-worker', 'spotify-lake-transformer'] as const
export type WorkerName = (typeof WORKER_NAMES)[number]

export type ObjectAccess = 'read' | 'write' | 'delete'

export interface PrefixGrant {
  prefix: LakePrefix
  access: readonly ObjectAccess[]
}

/**
 * What each Worker may do, by prefix. The worker plans runs, extracts from Spotify into raw/, writes the
 * run manifests in runs/ (its RunCoordinator mirrors them there) and keeps each playlist's last extracted
 * snapshot in state/, and runs the dashboard's insights (reading tables/, keeping answers in
 * dashboard-cache/; its Athena and Glue grants are in dashboard-grants.ts); the transformer reads raw/, stages into staging/ and staging-rejected/, compacts them
 * into tables/ and rejected/, and writes a replayed run's manifest to runs/. It never touches state/. Change a Worker's S3 use, change this table (and only this):
 * infra synthesizes the IAM policies from it and the local S3's IAM gate enforces the same policies.
 *
 * Deletes outside staging: a replay rebuilds a run under its own keys, and when the rebuild yields no rows
 * (or no rejects) for a table, the file the earlier build wrote must go, or the lake would keep rows (or
 * rejects) the manifest no longer counts. The transformer deletes only keys that exist (a HEAD first), and
 * the bucket is versioned, so a deleted table file stays recoverable for `noncurrentExpireAfterDays`.
 */
export const workerGrants: Readonly<Record<WorkerName, readonly PrefixGrant[]>> = {
  'spotify-lake-worker': [
    { prefix: 'raw/', access: ['read', 'write'] },
    { prefix: 'runs/', access: ['read', 'write'] },
    { prefix: 'state/', access: ['read', 'write'] },
    // The dashboard: Athena reads the tables as the Worker (and the Worker lists run_tables for the
    // latest run); each answer is kept in dashboard-cache/ per latest run.
    { prefix: 'tables/', access: ['read'] },
    { prefix: 'dashboard-cache/', access: ['read', 'write'] },
  ],
  'spotify-lake-transformer': [
    { prefix: 'raw/', access: ['read'] },
    { prefix: 'staging/', access: ['read', 'write', 'delete'] },
    { prefix: 'staging-rejected/', access: ['read', 'write', 'delete'] },
    { prefix: 'tables/', access: ['read', 'write', 'delete'] },
    { prefix: 'rejected/', access: ['read', 'write', 'delete'] },
    { prefix: 'runs/', access: ['read', 'write'] },
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

/** `<namePrefix>-worker` / `<namePrefix>-transformer`: the IAM user name of a Worker. */
export function workerUserName({ namePrefix, worker }: { namePrefix: string; worker: WorkerName }): string {
  return `${namePrefix}-${worker.replace('spotify-lake-', '')}`
}

export function workerBoundaryName(namePrefix: string): string {
  return `${namePrefix}-worker-boundary`
}
