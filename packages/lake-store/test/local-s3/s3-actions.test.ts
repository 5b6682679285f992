import { describe, expect, it } from 'vitest'
import { s3Operation, splitPath } from '../../src/local-s3/s3-actions.ts'

const B = 'arn:aws:s3:::lake'
const op = (method: string, url: string, headers: Record<string, string> = {}) => {
  const [path, rawQuery = ''] = url.split('?')
  return s3Operation({ method, path: path!, rawQuery, headers })
}

describe('s3Operation: the IAM actions of each S3 request', () => {
  it.each([
    ['GET', '/lake/raw/a.json', 'GetObject', [['s3:GetObject', `${B}/raw/a.json`]]],
    ['HEAD', '/lake/raw/a.json', 'HeadObject', [['s3:GetObject', `${B}/raw/a.json`]]],
    ['GET', '/lake/raw/a.json?versionId=3', 'GetObject', [['s3:GetObjectVersion', `${B}/raw/a.json`]]],
    ['GET', '/lake/raw/a.json?x-id=GetObject', 'GetObject', [['s3:GetObject', `${B}/raw/a.json`]]],
    [
      'PUT',
      '/lake/tables/t/dt%3D2026-01-01/r.parquet',
      'PutObject',
      [['s3:PutObject', `${B}/tables/t/dt=2026-01-01/r.parquet`]],
    ],
    ['DELETE', '/lake/staging/x', 'DeleteObject', [['s3:DeleteObject', `${B}/staging/x`]]],
    ['DELETE', '/lake/staging/x?versionId=v', 'DeleteObject', [['s3:DeleteObjectVersion', `${B}/staging/x`]]],
    ['GET', '/lake?list-type=2&prefix=raw%2F', 'ListObjectsV2', [['s3:ListBucket', B]]],
    ['GET', '/lake/?list-type=2', 'ListObjectsV2', [['s3:ListBucket', B]]],
    ['HEAD', '/lake', 'HeadBucket', [['s3:ListBucket', B]]],
    ['GET', '/lake?location', 'GET ?location', [['s3:GetBucketLocation', B]]],
    ['GET', '/lake?versions', 'GET ?versions', [['s3:ListBucketVersions', B]]],
    ['POST', '/lake/big.parquet?uploads', 'CreateMultipartUpload', [['s3:PutObject', `${B}/big.parquet`]]],
    [
      'PUT',
      '/lake/big.parquet?partNumber=1&uploadId=u',
      'UploadPart',
      [['s3:PutObject', `${B}/big.parquet`]],
    ],
    [
      'POST',
      '/lake/big.parquet?uploadId=u',
      'CompleteMultipartUpload',
      [['s3:PutObject', `${B}/big.parquet`]],
    ],
    [
      'DELETE',
      '/lake/big.parquet?uploadId=u',
      'AbortMultipartUpload',
      [['s3:AbortMultipartUpload', `${B}/big.parquet`]],
    ],
    [
      'GET',
      '/lake/big.parquet?uploadId=u',
      'ListParts',
      [['s3:ListMultipartUploadParts', `${B}/big.parquet`]],
    ],
    ['GET', '/lake/a?tagging', 'GET ?tagging', [['s3:GetObjectTagging', `${B}/a`]]],
    ['GET', '/', 'ListBuckets', [['s3:ListAllMyBuckets', '*']]],
  ])('%s %s -> %s', (method, url, operation, checks) => {
    const result = op(method, url)
    expect(result).toMatchObject({ kind: 'request', operation })
    if (result.kind !== 'request') return
    expect(result.checks.map((c) => [c.action, c.resource])).toEqual(checks)
  })

  it('needs read on the source as well as write on the target to copy', () => {
    const result = op('PUT', '/lake/tables/b', { 'x-amz-copy-source': '/lake/raw%2Fa%20b.json' })
    expect(result).toMatchObject({
      operation: 'CopyObject',
      checks: [
        { action: 's3:PutObject', resource: `${B}/tables/b` },
        { action: 's3:GetObject', resource: `${B}/raw/a b.json` },
      ],
    })
  })

  it('needs s3:PutObjectTagging too when an upload carries tags', () => {
    expect(op('PUT', '/lake/a', { 'x-amz-tagging': 'k=v' })).toMatchObject({
      checks: [
        { action: 's3:PutObject', resource: `${B}/a` },
        { action: 's3:PutObjectTagging', resource: `${B}/a` },
      ],
    })
  })

  it('passes the listing parameters as the s3: condition keys', () => {
    expect(op('GET', '/lake?list-type=2&prefix=raw%2Fx&delimiter=%2F&max-keys=5')).toMatchObject({
      context: { 's3:prefix': 'raw/x', 's3:delimiter': '/', 's3:max-keys': '5' },
    })
  })

  it('routes DeleteObjects to per-key checks and refuses what it cannot map', () => {
    expect(op('POST', '/lake?delete')).toEqual({ kind: 'delete-objects', bucket: 'lake' })
    expect(op('PUT', '/lake?replication').kind).toBe('unknown')
    expect(op('GET', '/lake/a?torrent').kind).toBe('unknown')
    expect(op('POST', '/lake/a').kind).toBe('unknown')
  })

  it('decodes bucket and key from a path-style path', () => {
    expect(splitPath('/b/raw/dt%3D1/a%20b')).toEqual({ bucket: 'b', key: 'raw/dt=1/a b' })
    expect(splitPath('/b/')).toEqual({ bucket: 'b' })
    expect(splitPath('/')).toEqual({})
  })
})
