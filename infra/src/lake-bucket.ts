/** @module `LakeBucket`: the data lake's bucket, its layout prefixes and the lifecycle each prefix needs. */
import { Construct } from 'constructs'
import type { EnvironmentConfig } from './environments.ts'
import { SecureBucket } from './secure-bucket.ts'

/** Standard-IA's minimum billable object size (128 KiB); S3 Pricing, "Standard - Infrequent Access". */
export const STANDARD_IA_MIN_BILLABLE_BYTES = 128 * 1024

export interface LakeBucketProps {
  environment: EnvironmentConfig
  accountId: string
}

export class LakeBucket extends Construct {
  readonly bucketName: string
  readonly bucketArn: string

  constructor(scope: Construct, id: string, { environment, accountId }: LakeBucketProps) {
    super(scope, id)
    const secure = new SecureBucket(this, 'secure', {
      // The account id makes the globally unique name deterministic per account, so users need not pick one.
      bucketName: `${environment.namePrefix}-lake-${accountId}`,
      // Versioned: a bad compaction or replay overwrites tables/; old versions make it undoable for a while.
      versioned: true,
      lifecycleRules: [
        {
          id: 'raw-to-infrequent-access',
          status: 'Enabled',
          // Only objects over 128 KiB: Standard-IA bills each object as at least 128 KiB (and 30 days), so a
          // smaller raw object would cost more there, and S3 skips it anyway (the bucket's
          // transition_default_minimum_object_size). The filter says what the rule does.
          filter: [{ and: [{ prefix: 'raw/', objectSizeGreaterThan: STANDARD_IA_MIN_BILLABLE_BYTES }] }],
          transition: [{ days: environment.rawInfrequentAccessAfterDays, storageClass: 'STANDARD_IA' }],
        },
        ...(['staging/', 'staging-rejected/'] as const).map((prefix) => ({
          id: `expire-${prefix.slice(0, -1)}`,
          status: 'Enabled',
          filter: [{ prefix }],
          expiration: [{ days: environment.stagingExpireAfterDays }],
        })),
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: environment.noncurrentExpireAfterDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 2 }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    })
    // Referenced through the resource, so whatever uses the name is created after the bucket.
    this.bucketName = secure.bucket.bucket
    this.bucketArn = secure.bucket.arn
  }
}
