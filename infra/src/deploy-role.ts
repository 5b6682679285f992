/** @module `DeployRole`: the role GitHub Actions assumes through OIDC to apply one environment's stack. */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role'
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy'
import { type PolicyStatement, toPolicyJson, WORKER_IAM_PATH } from '@spotify-lake/lake-iam'
import { Construct } from 'constructs'

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com'

export interface DeployRoleProps {
  namePrefix: string
  /** GitHub environment whose jobs may assume the role (`dev`, `prod`). */
  githubEnvironment: string
  /** `owner/repo` (a Terraform variable reference). */
  githubRepository: string
  accountId: string
  region: string
  stateBucket: string
  stateKey: string
  bucketArns: readonly string[]
  glueDatabaseName: string
  glueTableNames: readonly string[]
  workgroupName: string
  workerUserNames: readonly string[]
  workerBoundaryName: string
}

// Explicit action lists (no `s3:Get*`): what the pinned AWS provider calls to create, read, update and delete
// the stack's resources. test/deploy-role.test.ts keeps the table of resource type -> actions the provider
// calls, with the source of each line, and checks this role against it for every synthesized resource type:
// a provider upgrade or a new resource type fails that test until both are brought up to date.
const bucketActions = [
  's3:CreateBucket',
  's3:DeleteBucket',
  's3:ListBucket',
  's3:GetBucketLocation',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketWebsite',
  's3:GetBucketVersioning',
  's3:PutBucketVersioning',
  's3:GetAccelerateConfiguration',
  's3:GetBucketRequestPayment',
  's3:GetBucketLogging',
  's3:GetLifecycleConfiguration',
  's3:PutLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:GetEncryptionConfiguration',
  's3:PutEncryptionConfiguration',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketTagging',
  's3:PutBucketTagging',
  // Provider 6.23+ reads and writes bucket tags through the S3 Control tagging API.
  's3:ListTagsForResource',
  's3:TagResource',
  's3:UntagResource',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:GetBucketPublicAccessBlock',
  's3:PutBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  // DeleteBucketOwnershipControls is authorized as s3:PutBucketOwnershipControls (there is no Delete action).
  's3:PutBucketOwnershipControls',
]
const glueActions = [
  'glue:GetDatabase',
  'glue:CreateDatabase',
  'glue:UpdateDatabase',
  'glue:DeleteDatabase',
  'glue:GetTable',
  // Every refresh of an aws_glue_catalog_table reads its partition indexes.
  'glue:GetPartitionIndexes',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:DeleteTable',
  'glue:GetTags',
  'glue:TagResource',
  'glue:UntagResource',
]
const athenaActions = [
  'athena:CreateWorkGroup',
  'athena:GetWorkGroup',
  'athena:UpdateWorkGroup',
  'athena:DeleteWorkGroup',
  'athena:ListTagsForResource',
  'athena:TagResource',
  'athena:UntagResource',
  'athena:CreateNamedQuery',
  'athena:GetNamedQuery',
  'athena:DeleteNamedQuery',
]
// Worker users: reads and key rotation by user ARN; creating a user or changing its policy only when the
// user carries the Worker permissions boundary (iam:PermissionsBoundary), so no user can exceed it.
const userActions = [
  'iam:GetUser',
  'iam:DeleteUser',
  'iam:TagUser',
  'iam:UntagUser',
  'iam:GetUserPolicy',
  'iam:ListUserPolicies',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:CreateAccessKey',
  'iam:DeleteAccessKey',
  'iam:ListAccessKeys',
]
const boundedUserActions = ['iam:CreateUser', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy']
const boundaryReadActions = [
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
  'iam:ListPolicyTags',
]
// Read-only on itself: the role cannot widen its own policy or trust. Changing the role (or the Worker
// boundary) is an admin's `terraform apply` (docs/deploy.md); a CI apply of such a change fails, loudly.
const roleActions = [
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
]

/** Everything the deploy role may do: state, and the stack's own resources by exact ARN. */
export function deployStatements(
  props: Omit<DeployRoleProps, 'githubEnvironment' | 'githubRepository'> & {
    roleName: string
  },
): PolicyStatement[] {
  const { accountId, region, stateBucket, stateKey, bucketArns, glueDatabaseName, glueTableNames } = props
  const glue = `arn:aws:glue:${region}:${accountId}`
  const iam = `arn:aws:iam::${accountId}`
  const workerUsers = props.workerUserNames.map((name) => `${iam}:user${WORKER_IAM_PATH}${name}`)
  const boundaryArn = `${iam}:policy${WORKER_IAM_PATH}${props.workerBoundaryName}`
  return [
    {
      Sid: 'ListStateBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`arn:aws:s3:::${stateBucket}`],
    },
    {
      // The state object and its S3-native lock file (`use_lockfile`).
      Sid: 'ReadWriteStateAndLock',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [`arn:aws:s3:::${stateBucket}/${stateKey}`, `arn:aws:s3:::${stateBucket}/${stateKey}.tflock`],
    },
    { Sid: 'ManageBuckets', Effect: 'Allow', Action: bucketActions, Resource: [...bucketArns] },
    {
      Sid: 'ManageGlueCatalog',
      Effect: 'Allow',
      Action: glueActions,
      Resource: [
        `${glue}:catalog`,
        `${glue}:database/${glueDatabaseName}`,
        ...glueTableNames.map((table) => `${glue}:table/${glueDatabaseName}/${table}`),
      ],
    },
    {
      Sid: 'ManageAthenaWorkgroup',
      Effect: 'Allow',
      Action: athenaActions,
      Resource: [`arn:aws:athena:${region}:${accountId}:workgroup/${props.workgroupName}`],
    },
    { Sid: 'ManageWorkerUsers', Effect: 'Allow', Action: userActions, Resource: workerUsers },
    {
      Sid: 'ChangeBoundedWorkerUsers',
      Effect: 'Allow',
      Action: boundedUserActions,
      Resource: workerUsers,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    },
    { Sid: 'ReadWorkerBoundary', Effect: 'Allow', Action: boundaryReadActions, Resource: [boundaryArn] },
    {
      Sid: 'ReadThisRole',
      Effect: 'Allow',
      Action: roleActions,
      Resource: [`${iam}:role/${props.roleName}`],
    },
  ]
}

export class DeployRole extends Construct {
  readonly role: IamRole

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id)
    const { namePrefix, githubEnvironment, githubRepository, accountId } = props
    const roleName = `${namePrefix}-github-deploy`
    this.role = new IamRole(this, 'role', {
      name: roleName,
      description: `GitHub Actions deploys of ${githubRepository}, environment ${githubEnvironment} only.`,
      maxSessionDuration: 3600,
      assumeRolePolicy: toPolicyJson([
        {
          Sid: 'GitHubActionsOidc',
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}` },
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
              // Jobs that declare `environment: <env>` get this subject: other repos, branches and
              // environments cannot assume the role.
              [`${GITHUB_OIDC_HOST}:sub`]: `repo:${githubRepository}:environment:${githubEnvironment}`,
            },
          },
        },
      ]),
    })
    new IamRolePolicy(this, 'policy', {
      name: `${namePrefix}-deploy`,
      role: this.role.name,
      policy: toPolicyJson(deployStatements({ ...props, roleName })),
    })
  }
}
