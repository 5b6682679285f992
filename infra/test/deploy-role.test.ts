/**
 * @module The CI deploy role against what the pinned AWS provider calls. The table below lists, per resource
 * type of the synthesized stacks, the IAM actions the provider makes to plan, refresh, create, update and
 * delete it (as these stacks configure it), with the source of each line. Every action is then evaluated
 * against the synthesized role policy with an IAM simulator, on the ARNs of the stack's own resources.
 */
import { createRequire } from 'node:module'
import type { PolicyDocument } from '@spotify-lake/lake-iam'
import { describe, expect, it } from 'vitest'
import { ENVIRONMENT_NAMES } from '../src/environments.ts'
import { resourcesOf, synthStack, type TerraformJson } from './support/synth.ts'

// The CommonJS build (see packages/lake-store/src/local-s3/authorize.ts for why).
const { runSimulation } = createRequire(import.meta.url)(
  '@cloud-copilot/iam-simulate',
) as typeof import('@cloud-copilot/iam-simulate')

/** The provider version the table was checked against; a bump fails the test until the table is reviewed. */
const PROVIDER_VERSION = '6.25.0'
const SRC = `https://github.com/hashicorp/terraform-provider-aws/blob/v${PROVIDER_VERSION}/internal/service`

interface ProviderCalls {
  /** Actions a CI apply needs (plan/refresh read; create, update, delete write). */
  ci: readonly string[]
  /** Actions only an admin's apply makes: the role must not have them (it cannot widen itself). */
  adminOnly?: readonly string[]
  /** Condition keys the request carries (the user's permissions boundary). */
  context?: Record<string, string>
  source: string
}

const BUCKET_READ = [
  's3:ListBucket', // HeadBucket, GetBucketRegion
  's3:GetBucketPolicy',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketWebsite',
  's3:GetBucketVersioning',
  's3:GetAccelerateConfiguration',
  's3:GetBucketRequestPayment',
  's3:GetBucketLogging',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:GetEncryptionConfiguration',
  's3:GetBucketObjectLockConfiguration',
]

/** Resource type (or `data.<type>`) -> what provider 6.25.0 calls for it. */
const PROVIDER_CALLS: Record<string, ProviderCalls> = {
  aws_s3_bucket: {
    ci: [
      ...BUCKET_READ,
      's3:CreateBucket',
      's3:DeleteBucket',
      // Tags through the S3 Control API since 6.23.0: read on every refresh, written on create and change.
      's3:ListTagsForResource',
      's3:TagResource',
      's3:UntagResource',
    ],
    source: `${SRC}/s3/bucket.go (resourceBucketCreate/Read/Delete); S3 Control tags since 6.23.0: hashicorp/terraform-provider-aws#46202, #45520, getmoto/moto#9504`,
  },
  aws_s3_bucket_lifecycle_configuration: {
    // DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration.
    ci: ['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
    source: `${SRC}/s3/bucket_lifecycle_configuration.go; S3 API reference DeleteBucketLifecycle "Permissions"`,
  },
  aws_s3_bucket_ownership_controls: {
    // DeleteBucketOwnershipControls is authorized as s3:PutBucketOwnershipControls.
    ci: ['s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
    source: `${SRC}/s3/bucket_ownership_controls.go; S3 API reference DeleteBucketOwnershipControls "Permissions"`,
  },
  aws_s3_bucket_policy: {
    ci: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
    source: `${SRC}/s3/bucket_policy.go`,
  },
  aws_s3_bucket_public_access_block: {
    // DeletePublicAccessBlock is authorized as s3:PutBucketPublicAccessBlock.
    ci: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
    source: `${SRC}/s3/bucket_public_access_block.go`,
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    // DeleteBucketEncryption is authorized as s3:PutEncryptionConfiguration.
    ci: ['s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'],
    source: `${SRC}/s3/bucket_server_side_encryption_configuration.go`,
  },
  aws_s3_bucket_versioning: {
    ci: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'],
    source: `${SRC}/s3/bucket_versioning.go`,
  },
  aws_glue_catalog_database: {
    ci: [
      'glue:CreateDatabase',
      'glue:GetDatabase',
      'glue:UpdateDatabase',
      'glue:DeleteDatabase',
      'glue:GetTags',
      'glue:TagResource',
      'glue:UntagResource',
    ],
    source: `${SRC}/glue/catalog_database.go (transparent tagging: glue ListTags = GetTags)`,
  },
  aws_glue_catalog_table: {
    // resourceCatalogTableRead calls GetPartitionIndexes on every refresh; a denial fails the plan.
    ci: [
      'glue:CreateTable',
      'glue:GetTable',
      'glue:GetPartitionIndexes',
      'glue:UpdateTable',
      'glue:DeleteTable',
    ],
    source: `${SRC}/glue/catalog_table.go (resourceCatalogTableCreate/Read/Update/Delete)`,
  },
  aws_athena_workgroup: {
    ci: [
      'athena:CreateWorkGroup',
      'athena:GetWorkGroup',
      'athena:UpdateWorkGroup',
      'athena:DeleteWorkGroup',
      'athena:ListTagsForResource',
      'athena:TagResource',
      'athena:UntagResource',
    ],
    source: `${SRC}/athena/workgroup.go`,
  },
  aws_athena_named_query: {
    ci: ['athena:CreateNamedQuery', 'athena:GetNamedQuery', 'athena:DeleteNamedQuery'],
    source: `${SRC}/athena/named_query.go (authorized on the workgroup)`,
  },
  aws_iam_user: {
    // Delete first removes group memberships; CreateUser carries the boundary and the default tags.
    ci: [
      'iam:GetUser',
      'iam:CreateUser',
      'iam:DeleteUser',
      'iam:TagUser',
      'iam:UntagUser',
      'iam:ListGroupsForUser',
    ],
    adminOnly: ['iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
    context: { 'iam:PermissionsBoundary': 'BOUNDARY' },
    source: `${SRC}/iam/user.go (resourceUserCreate/Read/Delete, deleteUserGroupMemberships)`,
  },
  aws_iam_user_policy: {
    ci: ['iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
    context: { 'iam:PermissionsBoundary': 'BOUNDARY' },
    source: `${SRC}/iam/user_policy.go`,
  },
  aws_iam_access_key: {
    // Read finds the key through ListAccessKeys (findAccessKeyByTwoPartKey).
    ci: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:DeleteAccessKey'],
    source: `${SRC}/iam/access_key.go`,
  },
  aws_iam_policy: {
    ci: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:ListPolicyTags'],
    adminOnly: ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy'],
    source: `${SRC}/iam/policy.go (the Worker boundary: CI reads it, only an admin changes it)`,
  },
  aws_iam_role: {
    ci: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies'],
    adminOnly: [
      'iam:CreateRole',
      'iam:UpdateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:DeleteRole',
      'iam:TagRole',
    ],
    source: `${SRC}/iam/role.go (the deploy role itself: CI reads it, only an admin changes it)`,
  },
  aws_iam_role_policy: {
    ci: ['iam:GetRolePolicy'],
    adminOnly: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
    source: `${SRC}/iam/role_policy.go`,
  },
  // Built into Terraform (>= 1.4): no provider, no AWS call.
  terraform_data: {
    ci: [],
    source: 'https://developer.hashicorp.com/terraform/language/resources/terraform-data',
  },
  // GetCallerIdentity needs no permission (STS API reference); the region comes from the provider's own config.
  'data.aws_caller_identity': { ci: [], source: `${SRC}/sts/caller_identity_data_source.go` },
  'data.aws_region': { ci: [], source: `${SRC}/meta/region_data_source.go` },
}

const ACCOUNT = '123456789012'
const REGION = 'eu-west-1'
const STATE_BUCKET = 'my-tfstate'

/** A synthesized stack with its Terraform references replaced by the values an apply would see. */
function resolver(json: TerraformJson) {
  const attribute = (type: string, id: string, attr: string): string => {
    const resource = json.resource[type]?.[id]
    if (!resource) throw new Error(`unknown reference ${type}.${id}`)
    const value = (name: string) => resolve(String(resource[name]))
    if (type === 'aws_s3_bucket' && (attr === 'id' || attr === 'bucket')) return value('bucket')
    if (type === 'aws_s3_bucket' && attr === 'arn') return `arn:aws:s3:::${value('bucket')}`
    if (attr === 'name') return value('name')
    if (type === 'aws_iam_policy' && attr === 'arn')
      return `arn:aws:iam::${ACCOUNT}:policy${value('path')}${value('name')}`
    throw new Error(`no resolution for \${${type}.${id}.${attr}}`)
  }
  function resolve(text: string): string {
    return text.replace(/\$\{([^}]+)\}/g, (whole, ref: string) => {
      if (ref === 'data.aws_caller_identity.account.account_id') return ACCOUNT
      if (ref === 'data.aws_region.region.region') return REGION
      if (ref === 'var.state_bucket') return STATE_BUCKET
      if (ref === 'var.github_repository') return 'owner/repo'
      const parts = ref.split('.')
      if (parts.length === 3) return attribute(parts[0]!, parts[1]!, parts[2]!)
      throw new Error(`unresolved reference ${whole}`)
    })
  }
  return resolve
}

/** The ARNs the provider acts on for each resource of a type (Glue checks catalog, database and table). */
function arnsOf(json: TerraformJson, type: string, resolve: (text: string) => string): string[] {
  const glue = `arn:aws:glue:${REGION}:${ACCOUNT}`
  const userArn = (user: Record<string, unknown>) =>
    `arn:aws:iam::${ACCOUNT}:user${resolve(String(user.path ?? '/'))}${resolve(String(user.name))}`
  const userNamed = (name: string) => {
    const found = resourcesOf(json, 'aws_iam_user').find(([, u]) => resolve(String(u.name)) === name)
    if (!found) throw new Error(`no IAM user ${name}`)
    return userArn(found[1])
  }
  return resourcesOf(json, type).flatMap(([, r]): string[] => {
    const get = (name: string) => resolve(String(r[name]))
    switch (type) {
      case 'aws_s3_bucket':
        return [`arn:aws:s3:::${get('bucket')}`]
      case 'aws_glue_catalog_database':
        return [`${glue}:catalog`, `${glue}:database/${get('name')}`]
      case 'aws_glue_catalog_table':
        return [
          `${glue}:catalog`,
          `${glue}:database/${get('database_name')}`,
          `${glue}:table/${get('database_name')}/${get('name')}`,
        ]
      case 'aws_athena_workgroup':
        return [`arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${get('name')}`]
      case 'aws_athena_named_query':
        return [`arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${get('workgroup')}`]
      case 'aws_iam_user':
        return [userArn(r)]
      case 'aws_iam_user_policy':
      case 'aws_iam_access_key':
        return [userNamed(get('user'))]
      case 'aws_iam_policy':
        return [`arn:aws:iam::${ACCOUNT}:policy${get('path')}${get('name')}`]
      case 'aws_iam_role':
        return [`arn:aws:iam::${ACCOUNT}:role/${get('name')}`]
      case 'aws_iam_role_policy':
        return [`arn:aws:iam::${ACCOUNT}:role/${get('role')}`]
      case 'terraform_data':
        return []
      default:
        // Every bucket sub-resource acts on its bucket.
        if (type.startsWith('aws_s3_bucket_')) return [`arn:aws:s3:::${get('bucket')}`]
        throw new Error(`no ARN rule for ${type}: add one beside its row in PROVIDER_CALLS`)
    }
  })
}

async function decide(
  policy: PolicyDocument,
  action: string,
  resource: string,
  context: Record<string, string>,
) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/deploy`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [{ name: 'deploy', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  )
  // An ARN of a type the action does not act on (Glue checks catalog, database and table; tags only some).
  if (result.resultType === 'error' && result.errors.message === 'no.resource.types') return 'NotApplicable'
  if (result.resultType === 'error')
    throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`)
  return result.overallResult
}

describe.each(ENVIRONMENT_NAMES)('the %s deploy role can deploy its stack', (name) => {
  const { json } = synthStack({ environment: name })
  const full = json as TerraformJson & {
    data: Record<string, unknown>
    terraform: { required_providers: { aws: { version: string } } }
  }
  const resolve = resolver(json)
  const policy = JSON.parse(
    resolve(resourcesOf<{ policy: string }>(json, 'aws_iam_role_policy')[0]![1].policy),
  ) as PolicyDocument
  const boundary = resourcesOf<{ name: string; path: string }>(json, 'aws_iam_policy')[0]![1]
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy${boundary.path}${boundary.name}`

  it(`pins the AWS provider the table was checked against (${PROVIDER_VERSION})`, () => {
    expect(full.terraform.required_providers.aws.version).toBe(PROVIDER_VERSION)
  })

  it('has a row for every resource and data source type the stack synthesizes, and none for types it lacks', () => {
    const types = [
      ...Object.keys(json.resource),
      ...Object.keys(full.data ?? {}).map((t) => `data.${t}`),
    ].sort()
    expect(types).toEqual(Object.keys(PROVIDER_CALLS).sort())
  })

  it.each(Object.keys(PROVIDER_CALLS))(
    'allows every call the provider makes for %s, on the stack’s own ARNs',
    async (type) => {
      const row = PROVIDER_CALLS[type]!
      const arns = type.startsWith('data.') ? [] : arnsOf(json, type, resolve)
      if (row.ci.length > 0) expect(arns.length, `${type} has resources`).toBeGreaterThan(0)
      const context = Object.fromEntries(
        Object.entries(row.context ?? {}).map(([k, v]) => [k, v === 'BOUNDARY' ? boundaryArn : v]),
      )
      const denied: string[] = []
      for (const action of row.ci) {
        const decisions = await Promise.all(arns.map((arn) => decide(policy, action, arn, context)))
        decisions.forEach((d, i) => {
          if (d !== 'Allowed' && d !== 'NotApplicable') denied.push(`${action} ${arns[i]}`)
        })
        if (!decisions.includes('Allowed')) denied.push(`${action} (allowed on no resource of ${type})`)
      }
      expect(denied).toEqual([])
      // ...and what only an admin may do stays denied (the role cannot widen itself or the boundary).
      const allowed: string[] = []
      for (const action of row.adminOnly ?? []) {
        for (const arn of arns)
          if ((await decide(policy, action, arn, context)) === 'Allowed') allowed.push(`${action} ${arn}`)
      }
      expect(allowed).toEqual([])
    },
  )

  it('refuses to create or re-policy a Worker user without the Worker boundary', async () => {
    const user = arnsOf(json, 'aws_iam_user', resolve)[0]!
    for (const action of ['iam:CreateUser', 'iam:PutUserPolicy']) {
      expect(await decide(policy, action, user, {})).not.toBe('Allowed')
      expect(
        await decide(policy, action, user, { 'iam:PermissionsBoundary': `${boundaryArn}-other` }),
      ).not.toBe('Allowed')
    }
  })

  it('can read and lock its own state, and only its own', async () => {
    const key = `arn:aws:s3:::${STATE_BUCKET}/spotify-lake/${name}.tfstate`
    expect(await decide(policy, 's3:ListBucket', `arn:aws:s3:::${STATE_BUCKET}`, {})).toBe('Allowed')
    for (const action of ['s3:GetObject', 's3:PutObject'])
      expect(await decide(policy, action, key, {})).toBe('Allowed')
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(await decide(policy, action, `${key}.tflock`, {})).toBe('Allowed')
    }
    const other = `arn:aws:s3:::${STATE_BUCKET}/spotify-lake/${name === 'dev' ? 'prod' : 'dev'}.tfstate`
    expect(await decide(policy, 's3:GetObject', other, {})).not.toBe('Allowed')
  })

  it('names only actions IAM knows (a misspelt action would be silently useless)', async () => {
    for (const statement of policy.Statement) {
      for (const action of statement.Action) {
        // The simulator refuses an unknown action with an error instead of a decision.
        const decisions = await Promise.all(statement.Resource!.map((arn) => decide(policy, action, arn, {})))
        expect(
          decisions.some((d) => d !== 'NotApplicable'),
          `${action} acts on what it names`,
        ).toBe(true)
      }
    }
  })
})
