/** @module `SecureBucket`: an S3 bucket locked down by default (private, encrypted, TLS only, owner-enforced). */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket'
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration'
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls'
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy'
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block'
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration'
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning'
import { toPolicyJson } from '@spotify-lake/lake-iam'
import { Construct } from 'constructs'

export interface SecureBucketProps {
  bucketName: string
  versioned: boolean
  lifecycleRules: readonly S3BucketLifecycleConfigurationRule[]
}

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket

  constructor(scope: Construct, id: string, { bucketName, versioned, lifecycleRules }: SecureBucketProps) {
    super(scope, id)
    // Never force_destroy: tearing down a bucket that holds data is a deliberate, manual step (docs/deploy.md).
    this.bucket = new S3Bucket(this, 'bucket', { bucket: bucketName, forceDestroy: false })
    const bucket = this.bucket.id

    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    })
    // ACLs off: every object belongs to the bucket owner, access is decided by IAM and the bucket policy only.
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    })
    // SSE-S3: encryption at rest without KMS permissions for the Workers and Athena to manage.
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    })
    // Unversioned buckets get no versioning resource at all: 'Disabled' is only valid for a bucket never versioned.
    const versioning = versioned
      ? new S3BucketVersioningA(this, 'versioning', {
          bucket,
          versioningConfiguration: { status: 'Enabled' },
        })
      : undefined
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: toPolicyJson([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*'],
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ]),
    })
    if (lifecycleRules.length > 0) {
      // After versioning: lifecycle rules on noncurrent versions need versioning configured first.
      new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket,
        // S3's default since September 2024, written out so no change of default moves small objects: no
        // transition of objects under 128 KiB, to any storage class.
        transitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
        rule: [...lifecycleRules],
        ...(versioning ? { dependsOn: [versioning] } : {}),
      })
    }
  }
}
