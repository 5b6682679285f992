/** @module `AthenaWorkspace`: results bucket, an enforced workgroup with a scan limit, and the insight named queries. */
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query'
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup'
import { Construct } from 'constructs'
import type { EnvironmentConfig } from './environments.ts'
import type { InsightQuery } from './insight-queries.ts'
import { SecureBucket } from './secure-bucket.ts'
import { escapeTerraformTemplate } from './terraform-escape.ts'

export const ATHENA_ENGINE_VERSION = 'Athena engine version 3'

export interface AthenaWorkspaceProps {
  environment: EnvironmentConfig
  accountId: string
  databaseName: string
  insightQueries: readonly InsightQuery[]
}

export class AthenaWorkspace extends Construct {
  readonly workgroup: AthenaWorkgroup
  readonly resultsBucketName: string
  readonly resultsBucketArn: string
  readonly namedQueries: readonly AthenaNamedQuery[]

  constructor(
    scope: Construct,
    id: string,
    { environment, accountId, databaseName, insightQueries }: AthenaWorkspaceProps,
  ) {
    super(scope, id)
    const results = new SecureBucket(this, 'results', {
      bucketName: `${environment.namePrefix}-athena-results-${accountId}`,
      // Results are re-computable caches: no versions to keep.
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: environment.athenaResultsExpireAfterDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    })
    // Referenced through the bucket resource, so Terraform creates the bucket before the workgroup.
    this.resultsBucketName = results.bucket.bucket
    this.resultsBucketArn = results.bucket.arn

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: environment.namePrefix,
      description: `spotify-lake ${environment.name}: queries over the lake, results in the results bucket.`,
      state: 'ENABLED',
      // Deleting the workgroup also deletes its named queries (they are re-created from sql/ on apply).
      forceDestroy: true,
      configuration: {
        // Enforced: a client cannot point results elsewhere, skip encryption or lift the scan limit.
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: environment.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    })

    this.namedQueries = insightQueries.map(
      (query) =>
        new AthenaNamedQuery(this, `query-${query.name}`, {
          name: query.name,
          description: query.description,
          database: databaseName,
          workgroup: this.workgroup.name,
          query: escapeTerraformTemplate(query.sql),
        }),
    )
  }
}
