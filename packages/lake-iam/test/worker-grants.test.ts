import { describe, expect, it } from 'vitest'
import {
  bucketArnOf,
  LAKE_PREFIXES,
  objectArn,
  toPolicyJson,
  WORKER_NAMES,
  workerBoundaryStatements,
  workerGrants,
  workerStatements,
} from '../src/index.ts'

const bucketArn = bucketArnOf('lake')

describe('workerStatements', () => {
  it('lists the bucket and grants object actions per access, one statement each, no wildcard action', () => {
    const statements = workerStatements({
      grants: [
        { prefix: 'raw/', access: ['read'] },
        { prefix: 'staging/', access: ['read', 'write', 'delete'] },
      ],
      bucketArn,
    })
    expect(statements).toEqual([
      { Sid: 'ListLakeBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] },
      {
        Sid: 'ReadObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`${bucketArn}/raw/*`, `${bucketArn}/staging/*`],
      },
      {
        Sid: 'WriteObjects',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: [`${bucketArn}/staging/*`],
      },
      {
        Sid: 'DeleteObjects',
        Effect: 'Allow',
        Action: ['s3:DeleteObject'],
        Resource: [`${bucketArn}/staging/*`],
      },
    ])
  })

  it('renders a policy document with Terraform references left as they are', () => {
    const ref = ['$', '{aws_s3_bucket.lake.arn}'].join('')
    const json = toPolicyJson(workerStatements({ grants: [], bucketArn: ref }))
    expect(JSON.parse(json)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ListLakeBucket',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: [ref],
        },
      ],
    })
  })

  it('refuses an object ARN for a prefix that is not a folder', () => {
    expect(() => objectArn({ bucketArn, prefix: 'raw' })).toThrow(/must end with '\/'/)
    expect(() => objectArn({ bucketArn, prefix: '*/' })).toThrow(/no '\*'/)
  })
})

describe('workerGrants', () => {
  it('keeps raw/ immutable and lets only the transformer delete, never in raw/, runs/ or state/', () => {
    for (const worker of WORKER_NAMES) {
      for (const grant of workerGrants[worker]) {
        if (!grant.access.includes('delete')) continue
        expect(worker).toBe('spotify-lake-transformer')
        expect(['raw/', 'runs/', 'state/']).not.toContain(grant.prefix)
      }
    }
  })

  it('gives state/ (per-playlist snapshots) to the extract worker alone', () => {
    const holders = WORKER_NAMES.filter((worker) => workerGrants[worker].some((g) => g.prefix === 'state/'))
    expect(holders).toEqual(['spotify-lake-worker'])
  })

  it('stays inside the boundary: every Worker action on every prefix is one the boundary allows', () => {
    const boundary = workerBoundaryStatements({ bucketArn })
    const allowed = new Set(
      boundary.flatMap((s) => s.Action.flatMap((a) => (s.Resource ?? []).map((r) => `${a} ${r}`))),
    )
    for (const worker of WORKER_NAMES) {
      for (const s of workerStatements({ grants: workerGrants[worker], bucketArn })) {
        for (const action of s.Action)
          for (const r of s.Resource ?? []) expect(allowed).toContain(`${action} ${r}`)
      }
    }
    expect(boundary.find((s) => s.Sid === 'DeleteObjects')?.Resource).toEqual(
      LAKE_PREFIXES.map((prefix) => `${bucketArn}/${prefix}*`),
    )
  })
})
