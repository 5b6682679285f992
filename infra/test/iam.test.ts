import {
  DASHBOARD_ATHENA_ACTIONS,
  LAKE_PREFIXES,
  objectArn,
  type PolicyStatement,
  toPolicyJson,
  WORKER_NAMES,
  workerBoundaryStatements,
  workerGrants,
  workerStatements,
  workerUserName,
} from '@spotify-lake/lake-iam'
import { catalogTables, lakeViews } from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { GITHUB_OIDC_HOST } from '../src/deploy-role.ts'
import { ENVIRONMENT_NAMES, environments } from '../src/environments.ts'
import { bucketRef, parsePolicy, resourcesOf, synthStack } from './support/synth.ts'

/** A resource may hold `*` only as the tail of an object prefix: `<bucket arn>/<prefix>/*`. */
function isScopedResource(resource: string): boolean {
  if (!resource.includes('*')) return true
  return /^.+\/[a-z0-9-]+\/\*$/.test(resource) && resource.indexOf('*') === resource.length - 1
}

function assertNoWildcards(statements: readonly PolicyStatement[]): void {
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow')
    for (const action of statement.Action) expect(action, `action ${action}`).not.toContain('*')
    expect(statement.Resource?.length, `${statement.Sid} names its resources`).toBeGreaterThan(0)
    for (const resource of statement.Resource ?? []) expect(isScopedResource(resource), resource).toBe(true)
  }
}

describe('the wildcard check itself', () => {
  it('accepts object prefixes and rejects bare or mid-string wildcards', () => {
    expect(isScopedResource('${aws_s3_bucket.x.arn}/raw/*')).toBe(true)
    expect(isScopedResource('arn:aws:s3:::bucket')).toBe(true)
    expect(isScopedResource('*')).toBe(false)
    expect(isScopedResource('${aws_s3_bucket.x.arn}/*')).toBe(false)
    expect(isScopedResource('arn:aws:s3:::spotify-lake-*/raw/*')).toBe(false)
  })

  it('refuses to build an object ARN for a prefix that is not a folder', () => {
    expect(() => objectArn({ bucketArn: 'arn:aws:s3:::b', prefix: 'raw' })).toThrow(/must end with '\/'/)
    expect(() => objectArn({ bucketArn: 'arn:aws:s3:::b', prefix: '*/' })).toThrow(/no '\*'/)
  })
})

describe.each(ENVIRONMENT_NAMES)('IAM of the %s stack', (name) => {
  const { json } = synthStack({ environment: name })
  const environment = environments[name]
  const [lakeBucketId] = resourcesOf<{ bucket: string }>(json, 'aws_s3_bucket').find(([, b]) =>
    b.bucket.startsWith(`${environment.namePrefix}-lake-`),
  )!
  const lakeArn = bucketRef(lakeBucketId, 'arn')
  const users = resourcesOf<{ name: string; path: string }>(json, 'aws_iam_user')
  const userPolicies = resourcesOf<{ name: string; user: string; policy: string }>(
    json,
    'aws_iam_user_policy',
  )
  const rolePolicies = resourcesOf<{ policy: string }>(json, 'aws_iam_role_policy')
  const roles = resourcesOf<{ name: string; assume_role_policy: string }>(json, 'aws_iam_role')

  it('gives each Worker its own IAM user, access key and inline policy', () => {
    expect(users.map(([, u]) => u.name).sort()).toEqual(
      [`${environment.namePrefix}-transformer`, `${environment.namePrefix}-worker`].sort(),
    )
    expect(userPolicies).toHaveLength(2)
    expect(resourcesOf(json, 'aws_iam_access_key')).toHaveLength(2)
    // No managed policies: nothing broader than the inline, per-prefix grants.
    expect(json.resource.aws_iam_user_policy_attachment).toBeUndefined()
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined()
  })

  it.each(WORKER_NAMES)('allows %s only its object actions on its prefixes, with no wildcards', (worker) => {
    const role = worker.replace('spotify-lake-', '')
    const [userId] = users.find(([, u]) => u.name === `${environment.namePrefix}-${role}`)!
    const policy = userPolicies.find(([, p]) => p.user === `\${aws_iam_user.${userId}.name}`)
    expect(policy).toBeDefined()
    const all = parsePolicy(policy![1].policy).Statement
    assertNoWildcards(all)
    // The dashboard's Athena, Glue and results grants are checked on their own below.
    const statements = all.filter((s) => !s.Sid.startsWith('Dashboard'))
    const allowed = (action: string) =>
      statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource ?? [])
    const grants = workerGrants[worker]
    const prefixesWith = (access: 'read' | 'write' | 'delete') =>
      grants.filter((g) => g.access.includes(access)).map((g) => `${lakeArn}/${g.prefix}*`)
    expect(allowed('s3:GetObject')).toEqual(prefixesWith('read'))
    expect(allowed('s3:PutObject')).toEqual(prefixesWith('write'))
    expect(allowed('s3:DeleteObject')).toEqual(prefixesWith('delete'))
    expect(allowed('s3:ListBucket')).toEqual([lakeArn])
    const actions = new Set(statements.flatMap((s) => s.Action))
    expect([...actions].sort()).toEqual(
      [
        's3:ListBucket',
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
        ...(grants.some((g) => g.access.includes('delete')) ? ['s3:DeleteObject'] : []),
      ].sort(),
    )
  })

  it('lets every lake prefix be written by some Worker, and never deletes in raw/, runs/ or state/', () => {
    const written = new Set(
      WORKER_NAMES.flatMap((w) => workerGrants[w].filter((g) => g.access.includes('write'))),
    )
    expect(new Set([...written].map((g) => g.prefix))).toEqual(new Set(LAKE_PREFIXES))
    // raw/ is immutable, runs/ and state/ are overwritten in place. Only the transformer deletes: staging
    // after compaction, and a table or rejects file a replay of the same run no longer produces.
    expect(workerGrants['spotify-lake-worker'].filter((g) => g.access.includes('delete'))).toEqual([])
    const deleted = workerGrants['spotify-lake-transformer'].filter((g) => g.access.includes('delete'))
    expect(new Set(deleted.map((g) => g.prefix))).toEqual(
      new Set(['staging/', 'staging-rejected/', 'tables/', 'rejected/']),
    )
  })

  it.each(WORKER_NAMES)(
    'synthesizes for %s the very policy document the local S3 IAM gate enforces',
    (worker) => {
      const [userId] = users.find(
        ([, u]) => u.name === workerUserName({ namePrefix: environment.namePrefix, worker }),
      )!
      const policy = userPolicies.find(([, p]) => p.user === `\${aws_iam_user.${userId}.name}`)![1].policy
      // The gate builds its documents with these functions over the local bucket's ARN (lake-store/testing);
      // the dashboard's statements (Athena, Glue, the results bucket) are none of the lake bucket's.
      const lakeOnly = (text: string) =>
        toPolicyJson(parsePolicy(text).Statement.filter((s) => !s.Sid.startsWith('Dashboard')))
      expect(lakeOnly(policy)).toBe(
        toPolicyJson(workerStatements({ grants: workerGrants[worker], bucketArn: lakeArn })),
      )
      const [, boundary] = resourcesOf<{ policy: string }>(json, 'aws_iam_policy')[0]!
      expect(lakeOnly(boundary.policy)).toBe(toPolicyJson(workerBoundaryStatements({ bucketArn: lakeArn })))
    },
  )

  it('hands the Worker keys out only as outputs, secrets marked sensitive', () => {
    for (const role of ['worker', 'transformer']) {
      expect(json.output[`${role}_access_key_id`]?.sensitive).toBeFalsy()
      expect(json.output[`${role}_secret_access_key`]?.sensitive).toBe(true)
      expect(json.output[`${role}_secret_access_key`]?.value).toMatch(
        /^\$\{aws_iam_access_key\..+\.secret\}$/,
      )
    }
  })

  it('lets only this repository and environment assume the deploy role, through GitHub OIDC', () => {
    expect(roles).toHaveLength(1)
    const [, role] = roles[0]!
    expect(role.name).toBe(`${environment.namePrefix}-github-deploy`)
    const trust = parsePolicy(role.assume_role_policy).Statement
    expect(trust).toHaveLength(1)
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: expect.stringMatching(new RegExp(`:oidc-provider/${GITHUB_OIDC_HOST}$`)) },
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:\${var.github_repository}:environment:${name}`,
        },
      },
    })
    expect(Object.keys(trust[0]!.Condition ?? {})).toEqual(['StringEquals'])
  })

  it('scopes the deploy role to state and this stack’s resources, with no wildcards', () => {
    expect(rolePolicies).toHaveLength(1)
    const statements = parsePolicy(rolePolicies[0]![1].policy).Statement
    assertNoWildcards(statements)
    const resources = statements.flatMap((s) => s.Resource ?? [])
    expect(resources).toContain(`arn:aws:s3:::\${var.state_bucket}/spotify-lake/${name}.tfstate`)
    expect(resources).toContain(`arn:aws:s3:::\${var.state_bucket}/spotify-lake/${name}.tfstate.tflock`)
    for (const table of [...catalogTables, ...lakeViews]) {
      expect(resources.some((r) => r.endsWith(`:table/spotify_lake_${name}/${table.name}`))).toBe(true)
    }
    // No privilege escalation: it cannot touch roles or policies (itself included) beyond reading them...
    const actions = statements.flatMap((s) => s.Action)
    for (const action of actions.filter(
      (a) => a.startsWith('iam:') && !a.includes('User') && !a.includes('AccessKey'),
    )) {
      expect(action, action).toMatch(/^iam:(Get|List)/)
    }
    // ...and may create or re-policy a Worker user only when that user carries the Worker boundary.
    const [boundaryId, boundary] = resourcesOf<{ name: string }>(json, 'aws_iam_policy')[0]!
    expect(boundary.name).toBe(`${environment.namePrefix}-worker-boundary`)
    for (const action of ['iam:CreateUser', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy']) {
      const granting = statements.filter((s) => s.Action.includes(action))
      expect(granting).toHaveLength(1)
      expect(granting[0]!.Condition).toEqual({
        StringEquals: {
          'iam:PermissionsBoundary': `arn:aws:iam::\${data.aws_caller_identity.account.account_id}:policy/spotify-lake/${boundary.name}`,
        },
      })
    }
    expect(actions).not.toContain('iam:DeleteUserPermissionsBoundary')
    expect(actions).not.toContain('iam:PutUserPermissionsBoundary')
    expect(boundaryId).toBeTruthy()
  })

  it('caps every Worker user with a boundary of object actions in the lake prefixes only', () => {
    const [boundaryId, boundary] = resourcesOf<{ policy: string }>(json, 'aws_iam_policy')[0]!
    const usersWithBoundary = resourcesOf<{ permissions_boundary?: string }>(json, 'aws_iam_user').filter(
      ([, u]) => u.permissions_boundary === `\${aws_iam_policy.${boundaryId}.arn}`,
    )
    expect(usersWithBoundary).toHaveLength(2)
    const all = parsePolicy(boundary.policy).Statement
    assertNoWildcards(all)
    const statements = all.filter((s) => !s.Sid.startsWith('Dashboard'))
    for (const resource of statements.flatMap((s) => s.Resource ?? []))
      expect(resource.startsWith(lakeArn)).toBe(true)
    for (const action of statements.flatMap((s) => s.Action)) expect(action.startsWith('s3:')).toBe(true)
    // Beyond the lake: exactly the dashboard's statements, which the extractor Worker's own policy holds.
    const worker = userPolicies.find(([, p]) =>
      p.user.includes(users.find(([, u]) => u.name.endsWith('-worker'))![0]),
    )!
    expect(all.filter((s) => s.Sid.startsWith('Dashboard'))).toEqual(
      parsePolicy(worker[1].policy).Statement.filter((s) => s.Sid.startsWith('Dashboard')),
    )
  })

  it('lets only the extractor Worker query Athena, in its one workgroup, reading the one Glue database', () => {
    const dashboardOf = (role: string) => {
      const [userId] = users.find(([, u]) => u.name === `${environment.namePrefix}-${role}`)!
      const policy = userPolicies.find(([, p]) => p.user === `\${aws_iam_user.${userId}.name}`)![1].policy
      return parsePolicy(policy).Statement.filter((s) => s.Sid.startsWith('Dashboard'))
    }
    expect(dashboardOf('transformer')).toEqual([])
    const statements = dashboardOf('worker')
    const of = (sid: string) => statements.find((s) => s.Sid === sid)!
    expect(of('DashboardAthenaQueries').Action).toEqual([...DASHBOARD_ATHENA_ACTIONS])
    expect(of('DashboardAthenaQueries').Resource).toEqual([
      expect.stringMatching(/:workgroup\/\$\{aws_athena_workgroup\./),
    ])
    expect(of('DashboardGlueRead').Action.every((a) => a.startsWith('glue:Get'))).toBe(true)
    const glue = of('DashboardGlueRead').Resource ?? []
    for (const table of [...catalogTables, ...lakeViews]) {
      expect(glue.some((r) => r.endsWith(`/${table.name}`))).toBe(true)
    }
    expect(of('DashboardAthenaResults').Resource).toEqual([expect.stringMatching(/\/results\/\*$/)])
    expect(
      statements.flatMap((s) => s.Action).filter((a) => /Delete|Create|Update|NamedQuery/.test(a)),
    ).toEqual([])
  })
})
