/**
 * @module `WorkerAccess`: one IAM user per Worker, allowed only the object actions on the prefixes it uses.
 * The grants and the policies built from them are pure data in @spotify-lake/lake-iam: the local S3's IAM
 * gate enforces the very same documents in every test and in `lake up`.
 */
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key'
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy'
import { IamUser } from '@cdktf/provider-aws/lib/iam-user'
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy'
import {
  type DashboardAthenaResources,
  dashboardStatements,
  toPolicyJson,
  WORKER_IAM_PATH,
  WORKER_NAMES,
  type WorkerName,
  workerBoundaryName,
  workerBoundaryStatements,
  workerGrants,
  workerStatements,
  workerUserName,
} from '@spotify-lake/lake-iam'
import { Construct } from 'constructs'

export interface WorkerAccessProps {
  namePrefix: string
  bucketArn: string
  /** The dashboard's Athena workgroup, Glue database and results bucket (the extractor Worker queries them). */
  dashboard: DashboardAthenaResources
}

export interface WorkerCredentials {
  user: IamUser
  accessKey: IamAccessKey
}

export class WorkerAccess extends Construct {
  readonly credentials: Readonly<Record<WorkerName, WorkerCredentials>>

  constructor(scope: Construct, id: string, { namePrefix, bucketArn, dashboard }: WorkerAccessProps) {
    super(scope, id)
    const boundary = new IamPolicy(this, 'boundary', {
      name: workerBoundaryName(namePrefix),
      path: WORKER_IAM_PATH,
      description: 'Upper bound of what any spotify-lake Worker user may do.',
      // The dashboard's Athena grants sit inside the boundary too: it bounds what a Worker user may hold.
      policy: toPolicyJson([...workerBoundaryStatements({ bucketArn }), ...dashboardStatements(dashboard)]),
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
        policy: toPolicyJson([
          ...workerStatements({ grants: workerGrants[worker], bucketArn }),
          // Only the extractor Worker serves the dashboard.
          ...(worker === 'spotify-lake-worker' ? dashboardStatements(dashboard) : []),
        ]),
      })
      const accessKey = new IamAccessKey(this, `${role}-access-key`, { user: user.name })
      return [worker, { user, accessKey }]
    })
    this.credentials = Object.fromEntries(entries) as Record<WorkerName, WorkerCredentials>
  }
}
