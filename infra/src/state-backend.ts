/** @module `StateBackend`: remote Terraform state in S3 with S3-native locking, bucket given at init. */
import { TerraformBackend, type TerraformRemoteState } from 'cdktf'
import type { Construct } from 'constructs'

/** Where an environment's state lives inside the state bucket. */
export function stateKey(environment: string): string {
  return `spotify-lake/${environment}.tfstate`
}

/**
 * cdktf's S3Backend requires the bucket in code and knows no `use_lockfile`. The state bucket belongs to
 * the user's account, so it is a partial configuration: `terraform init -backend-config=bucket=...
 * -backend-config=region=...` completes it (docs/deploy.md). `use_lockfile` (Terraform >= 1.10) locks
 * with a `.tflock` object beside the state, with no DynamoDB table to create.
 */
export class StateBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly key: string,
  ) {
    super(scope, 'backend', 's3')
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { key: this.key, encrypt: true, use_lockfile: true }
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes()
  }

  getRemoteStateDataSource(_scope: Construct, _name: string, _fromStack: string): TerraformRemoteState {
    throw new Error('StateBackend: cross-stack remote state is not used by spotify-lake')
  }
}
