/** @module One IAM decision for the local S3, by @cloud-copilot/iam-simulate: identity policies within the boundary. */
import { createRequire } from 'node:module'
import { LOCAL_ACCOUNT_ID, type LocalIdentity } from './identities.ts'

// The CommonJS build: the ESM build of its data package names a source map that does not exist, which
// vitest reports as an error on every run that loads it.
const { runSimulation } = createRequire(import.meta.url)(
  '@cloud-copilot/iam-simulate',
) as typeof import('@cloud-copilot/iam-simulate')

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'

/**
 * Evaluates `action` on `resource` for `identity` as IAM does for a same-account request with no
 * bucket policy in play: allowed only when an identity policy allows it, the boundary allows it and
 * nothing denies it. Context keys are those of the request (`aws:*` globals, `s3:prefix`, ...).
 *
 * @throws when the simulator refuses the input (an unknown action or a malformed policy): a bug of the
 *   gate's mapping or of a policy, never a decision.
 */
export async function authorize({
  identity,
  action,
  resource,
  context = {},
  now = new Date(),
}: {
  identity: LocalIdentity
  action: string
  resource: string
  context?: Record<string, string>
  now?: Date
}): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: identity.arn,
        action,
        resource: { resource, accountId: LOCAL_ACCOUNT_ID },
        contextVariables: {
          'aws:PrincipalArn': identity.arn,
          'aws:PrincipalAccount': LOCAL_ACCOUNT_ID,
          'aws:PrincipalType': 'User',
          'aws:username': identity.arn.split('/').at(-1)!,
          'aws:CurrentTime': now.toISOString(),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
          // Plain HTTP on loopback: said as it is (no policy here conditions on it).
          'aws:SecureTransport': 'false',
          ...context,
        },
      },
      identityPolicies: identity.policies.map(({ name, document }) => ({ name, policy: document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(identity.boundary
        ? {
            permissionBoundaryPolicies: [
              { name: identity.boundary.name, policy: identity.boundary.document },
            ],
          }
        : {}),
    },
    {},
  )
  if (result.resultType === 'error') {
    throw new Error(`IAM simulation of ${action} on ${resource} failed: ${JSON.stringify(result.errors)}`)
  }
  return result.overallResult
}
