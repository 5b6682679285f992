/**
 * @module Who may call the local S3: each Worker as its own IAM user, holding the very policy (and
 * permissions boundary) that infra synthesizes for it, and the operator (the CLI, tests reading back).
 */
import { randomBytes } from 'node:crypto'
import {
  bucketArnOf,
  type PolicyDocument,
  type PrefixGrant,
  toPolicyDocument,
  WORKER_IAM_PATH,
  WORKER_NAMES,
  type WorkerName,
  workerBoundaryStatements,
  workerGrants,
  workerStatements,
  workerUserName,
} from '@spotify-lake/lake-iam'

/** The account every local principal lives in (AWS's documentation uses 123456789012; any 12 digits do). */
export const LOCAL_ACCOUNT_ID = '000000000000'
/** The `namePrefix` of local IAM names, as `spotify-lake-dev` is for the dev stack. */
export const LOCAL_NAME_PREFIX = 'spotify-lake-local'

/** The operator: `lake query`, `lake runs`, `lake replay` and tests reading back. Admin of the lake bucket. */
export const OPERATOR = 'operator'
export type LocalPrincipalName = WorkerName | typeof OPERATOR
export const LOCAL_PRINCIPALS: readonly LocalPrincipalName[] = [...WORKER_NAMES, OPERATOR]

export interface LocalCredentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface LocalIdentity extends LocalCredentials {
  name: LocalPrincipalName
  /** `arn:aws:iam::000000000000:user/spotify-lake/spotify-lake-local-worker`, ... */
  arn: string
  /** Identity-based policies (a Worker's inline policy; the operator's admin policy). */
  policies: readonly { name: string; document: PolicyDocument }[]
  /** The permissions boundary, when the user has one (the Workers do, as in AWS). */
  boundary?: { name: string; document: PolicyDocument }
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A fresh key pair shaped like AWS's (`AKIA` + 16 characters, a 40-character secret). */
export function newLocalCredentials(): LocalCredentials {
  const id = [...randomBytes(16)].map((byte) => KEY_ID_ALPHABET[byte % 32]).join('')
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') }
}

/** A key pair per principal; pass the same ones again to restart the server with the same callers. */
export function newLocalCredentialSet(): Record<LocalPrincipalName, LocalCredentials> {
  return Object.fromEntries(LOCAL_PRINCIPALS.map((name) => [name, newLocalCredentials()])) as Record<
    LocalPrincipalName,
    LocalCredentials
  >
}

/** The operator's policy: everything on the lake bucket and its objects, nothing else. */
export function operatorPolicy(bucket: string): PolicyDocument {
  const arn = bucketArnOf(bucket)
  return toPolicyDocument([
    { Sid: 'LocalOperatorOwnsTheLake', Effect: 'Allow', Action: ['s3:*'], Resource: [arn, `${arn}/*`] },
  ])
}

/**
 * The local principals of a bucket. The Workers' policies are built by the same functions, from the
 * same grants, as the IAM policies infra deploys; `grants` narrows a Worker for a test of the denial path.
 */
export function localIdentities({
  bucket,
  credentials,
  grants = {},
}: {
  bucket: string
  credentials: Record<LocalPrincipalName, LocalCredentials>
  grants?: Partial<Record<WorkerName, readonly PrefixGrant[]>>
}): LocalIdentity[] {
  const bucketArn = bucketArnOf(bucket)
  const iam = `arn:aws:iam::${LOCAL_ACCOUNT_ID}`
  const workers = WORKER_NAMES.map(
    (worker): LocalIdentity => ({
      name: worker,
      arn: `${iam}:user${WORKER_IAM_PATH}${workerUserName({ namePrefix: LOCAL_NAME_PREFIX, worker })}`,
      ...credentials[worker],
      policies: [
        {
          name: `${LOCAL_NAME_PREFIX}-${worker.replace('spotify-lake-', '')}-lake-access`,
          document: toPolicyDocument(
            workerStatements({ grants: grants[worker] ?? workerGrants[worker], bucketArn }),
          ),
        },
      ],
      boundary: {
        name: `${LOCAL_NAME_PREFIX}-worker-boundary`,
        document: toPolicyDocument(workerBoundaryStatements({ bucketArn })),
      },
    }),
  )
  const operator: LocalIdentity = {
    name: OPERATOR,
    arn: `${iam}:user/${LOCAL_NAME_PREFIX}-${OPERATOR}`,
    ...credentials[OPERATOR],
    policies: [{ name: `${LOCAL_NAME_PREFIX}-operator`, document: operatorPolicy(bucket) }],
  }
  return [...workers, operator]
}
