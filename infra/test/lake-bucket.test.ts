import { LAKE_PREFIXES } from '@spotify-lake/lake-iam'
import { lakeKeys, newRunId } from '@spotify-lake/schemas'
import { Testing } from 'cdktf'
import { describe, expect, it } from 'vitest'
import { ENVIRONMENT_NAMES, environments } from '../src/environments.ts'
import { bucketRef, parsePolicy, resourcesOf, synthStack } from './support/synth.ts'

interface LifecycleRule {
  id: string
  status: string
  filter: { prefix?: string; and?: { prefix: string; object_size_greater_than?: number }[] }[]
  transition?: { days: number; storage_class: string }[]
  expiration?: { days?: number; expired_object_delete_marker?: boolean }[]
  noncurrent_version_expiration?: { noncurrent_days: number }[]
}

describe.each(ENVIRONMENT_NAMES)('buckets of the %s stack', (name) => {
  const { text, json } = synthStack({ environment: name })
  const environment = environments[name]
  const buckets = resourcesOf<{ bucket: string; force_destroy: boolean }>(json, 'aws_s3_bucket')
  const lakeId = buckets.find(([, b]) => b.bucket.startsWith(`${environment.namePrefix}-lake-`))?.[0]
  const resultsId = buckets.find(([, b]) =>
    b.bucket.startsWith(`${environment.namePrefix}-athena-results-`),
  )?.[0]

  it('has the lake and the Athena results bucket, named per environment and never force-destroyed', () => {
    expect(buckets).toHaveLength(2)
    expect(lakeId).toBeDefined()
    expect(resultsId).toBeDefined()
    for (const [, bucket] of buckets) expect(bucket.force_destroy).toBe(false)
  })

  it.each(['lake', 'results'] as const)('blocks all public access on the %s bucket', (which) => {
    const id = which === 'lake' ? lakeId! : resultsId!
    expect(
      Testing.toHaveResourceWithProperties(text, 'aws_s3_bucket_public_access_block', {
        bucket: bucketRef(id, 'id'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ).toBe(true)
    expect(
      Testing.toHaveResourceWithProperties(text, 'aws_s3_bucket_ownership_controls', {
        bucket: bucketRef(id, 'id'),
        rule: { object_ownership: 'BucketOwnerEnforced' },
      }),
    ).toBe(true)
  })

  it.each(['lake', 'results'] as const)('encrypts the %s bucket at rest by default', (which) => {
    const id = which === 'lake' ? lakeId! : resultsId!
    expect(
      Testing.toHaveResourceWithProperties(text, 'aws_s3_bucket_server_side_encryption_configuration', {
        bucket: bucketRef(id, 'id'),
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
      }),
    ).toBe(true)
  })

  it.each(['lake', 'results'] as const)(
    'denies every non-TLS request to the %s bucket and its objects',
    (which) => {
      const id = which === 'lake' ? lakeId! : resultsId!
      const policies = resourcesOf<{ bucket: string; policy: string }>(json, 'aws_s3_bucket_policy').filter(
        ([, p]) => p.bucket === bucketRef(id, 'id'),
      )
      expect(policies).toHaveLength(1)
      const statements = parsePolicy(policies[0]![1].policy).Statement
      expect(statements).toContainEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [bucketRef(id, 'arn'), `${bucketRef(id, 'arn')}/*`],
        Condition: { Bool: { 'aws:SecureTransport': false } },
      })
    },
  )

  it('versions the lake bucket (and only the lake bucket)', () => {
    const versioning = resourcesOf<{ bucket: string; versioning_configuration: { status: string } }>(
      json,
      'aws_s3_bucket_versioning',
    )
    expect(versioning.map(([, v]) => [v.bucket, v.versioning_configuration.status])).toEqual([
      [bucketRef(lakeId!, 'id'), 'Enabled'],
    ])
  })

  const prefixOf = (rule: LifecycleRule) => rule.filter[0]?.prefix ?? rule.filter[0]?.and?.[0]?.prefix
  const lifecycle = (id: string): LifecycleRule[] => {
    const config = resourcesOf<{ bucket: string; rule: LifecycleRule[] }>(
      json,
      'aws_s3_bucket_lifecycle_configuration',
    )
      .map(([, c]) => c)
      .find((c) => c.bucket === bucketRef(id, 'id'))
    if (!config) throw new Error(`no lifecycle configuration for ${id}`)
    return config.rule
  }

  it('moves raw/ objects over 128 KiB to Standard-IA, expires staging and old noncurrent versions', () => {
    const rules = lifecycle(lakeId!)
    const byPrefix = (prefix: string) => rules.filter((r) => prefixOf(r) === prefix)
    expect(rules.every((r) => r.status === 'Enabled')).toBe(true)
    expect(byPrefix('raw/')[0]?.transition).toEqual([
      { days: environment.rawInfrequentAccessAfterDays, storage_class: 'STANDARD_IA' },
    ])
    // What S3 would do anyway, said by the rule: smaller objects stay in Standard (IA bills 128 KiB minimum).
    expect(byPrefix('raw/')[0]?.filter).toEqual([
      { and: [{ prefix: 'raw/', object_size_greater_than: 131072 }] },
    ])
    // S3 refuses a Standard-IA transition earlier than 30 days after creation.
    expect(environment.rawInfrequentAccessAfterDays).toBeGreaterThanOrEqual(30)
    // Raw is immutable and kept: no rule may ever expire current raw objects.
    expect(
      rules.filter((r) => ['raw/', ''].includes(prefixOf(r)!)).flatMap((r) => r.expiration ?? []),
    ).toEqual([{ expired_object_delete_marker: true }])
    for (const prefix of ['staging/', 'staging-rejected/']) {
      expect(byPrefix(prefix)[0]?.expiration).toEqual([{ days: environment.stagingExpireAfterDays }])
    }
    expect(byPrefix('')[0]?.noncurrent_version_expiration).toEqual([
      { noncurrent_days: environment.noncurrentExpireAfterDays },
    ])
    // tables/, rejected/, runs/, state/ are never expired.
    for (const prefix of ['tables/', 'rejected/', 'runs/', 'state/']) expect(byPrefix(prefix)).toEqual([])
  })

  it.each(['lake', 'results'] as const)(
    'writes out the 128 KiB minimum size for transitions on the %s bucket instead of relying on the default',
    (which) => {
      const id = which === 'lake' ? lakeId! : resultsId!
      const config = resourcesOf<{ bucket: string; transition_default_minimum_object_size?: string }>(
        json,
        'aws_s3_bucket_lifecycle_configuration',
      ).find(([, c]) => c.bucket === bucketRef(id, 'id'))
      expect(config?.[1].transition_default_minimum_object_size).toBe('all_storage_classes_128K')
    },
  )

  it('expires Athena query results', () => {
    expect(lifecycle(resultsId!)).toContainEqual(
      expect.objectContaining({
        filter: [{ prefix: '' }],
        expiration: [{ days: environment.athenaResultsExpireAfterDays }],
      }),
    )
  })
})

describe('lake prefixes', () => {
  it('cover every key the pipeline layout can produce', () => {
    const dt = '2026-11-21'
    const runId = newRunId({ now: new Date('2026-11-21T01:02:03.456Z'), random: () => 0.5 })
    const keys = [
      lakeKeys.raw({ source: 'playlists', dt, runId, unit: 'p1' }),
      lakeKeys.staging({ table: 'tracks', dt, runId, part: 'm1' }),
      lakeKeys.stagingRejected({ table: 'tracks', dt, runId, part: 'm1' }),
      lakeKeys.table({ table: 'tracks', dt, runId }),
      lakeKeys.rejected({ table: 'tracks', dt, runId }),
      lakeKeys.manifest(runId),
      lakeKeys.state('rate-limit'),
      lakeKeys.dashboardCache({ run: `${dt}/${runId}`, insight: 'listening-heatmap' }),
    ]
    for (const key of keys) expect(LAKE_PREFIXES.filter((prefix) => key.startsWith(prefix))).toHaveLength(1)
    // ...and no declared prefix is unused by the layout.
    for (const prefix of LAKE_PREFIXES) expect(keys.some((key) => key.startsWith(prefix))).toBe(true)
  })
})
