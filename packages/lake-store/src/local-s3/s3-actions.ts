/**
 * @module Which IAM actions an S3 REST request needs, on which resource ARNs: the mapping of the S3 API
 * reference's "Permissions" sections (path-style requests). Anything not in it is refused, never waved through.
 */
import { parseQuery } from './sigv4.ts'

/** One IAM authorization a request needs: every check of a request must be allowed. */
export interface S3Check {
  action: string
  resource: string
}

export type S3Operation =
  /** An ordinary request: forward it when every check is allowed. */
  | {
      kind: 'request'
      operation: string
      bucket?: string
      key?: string
      checks: S3Check[]
      context: Record<string, string>
    }
  /** DeleteObjects: S3 authorizes each key on its own and reports per-key errors in a 200 answer. */
  | { kind: 'delete-objects'; bucket: string }
  /** No mapping: refused with AccessDenied, so an unmapped call fails as loudly as a missing grant would. */
  | { kind: 'unknown'; operation: string }

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`

/** Sub-resources that change what a bucket request does, and the action each needs by method. */
const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  acl: { GET: 's3:GetBucketAcl', PUT: 's3:PutBucketAcl' },
  cors: { GET: 's3:GetBucketCORS', PUT: 's3:PutBucketCORS', DELETE: 's3:PutBucketCORS' },
  encryption: {
    GET: 's3:GetEncryptionConfiguration',
    PUT: 's3:PutEncryptionConfiguration',
    DELETE: 's3:PutEncryptionConfiguration',
  },
  lifecycle: {
    GET: 's3:GetLifecycleConfiguration',
    PUT: 's3:PutLifecycleConfiguration',
    DELETE: 's3:PutLifecycleConfiguration',
  },
  location: { GET: 's3:GetBucketLocation' },
  logging: { GET: 's3:GetBucketLogging', PUT: 's3:PutBucketLogging' },
  notification: { GET: 's3:GetBucketNotification', PUT: 's3:PutBucketNotification' },
  ownershipControls: {
    GET: 's3:GetBucketOwnershipControls',
    PUT: 's3:PutBucketOwnershipControls',
    DELETE: 's3:PutBucketOwnershipControls',
  },
  policy: { GET: 's3:GetBucketPolicy', PUT: 's3:PutBucketPolicy', DELETE: 's3:DeleteBucketPolicy' },
  publicAccessBlock: {
    GET: 's3:GetBucketPublicAccessBlock',
    PUT: 's3:PutBucketPublicAccessBlock',
    DELETE: 's3:PutBucketPublicAccessBlock',
  },
  tagging: { GET: 's3:GetBucketTagging', PUT: 's3:PutBucketTagging', DELETE: 's3:PutBucketTagging' },
  uploads: { GET: 's3:ListBucketMultipartUploads' },
  versioning: { GET: 's3:GetBucketVersioning', PUT: 's3:PutBucketVersioning' },
  versions: { GET: 's3:ListBucketVersions' },
  website: { GET: 's3:GetBucketWebsite', PUT: 's3:PutBucketWebsite', DELETE: 's3:DeleteBucketWebsite' },
}

/** Object sub-resources this mapping knows; any other S3 sub-resource on an object is refused. */
const OBJECT_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  acl: { GET: 's3:GetObjectAcl', PUT: 's3:PutObjectAcl' },
  tagging: { GET: 's3:GetObjectTagging', PUT: 's3:PutObjectTagging', DELETE: 's3:DeleteObjectTagging' },
  attributes: { GET: 's3:GetObjectAttributes' },
  retention: { GET: 's3:GetObjectRetention', PUT: 's3:PutObjectRetention' },
  'legal-hold': { GET: 's3:GetObjectLegalHold', PUT: 's3:PutObjectLegalHold' },
  restore: { POST: 's3:RestoreObject' },
}

/** Every S3 sub-resource name (query parameters that select an operation rather than modify one). */
const ALL_SUBRESOURCES = new Set([
  ...Object.keys(BUCKET_SUBRESOURCES),
  ...Object.keys(OBJECT_SUBRESOURCES),
  'accelerate',
  'analytics',
  'delete',
  'intelligent-tiering',
  'inventory',
  'metrics',
  'object-lock',
  'partNumber',
  'policyStatus',
  'replication',
  'requestPayment',
  'select',
  'torrent',
  'uploadId',
  'versionId',
])

/** Splits a path-style path into bucket and key, decoding each (the ARN names the key decoded). */
export function splitPath(path: string): { bucket?: string; key?: string } {
  const trimmed = path.replace(/^\//, '')
  if (trimmed === '') return {}
  const slash = trimmed.indexOf('/')
  if (slash < 0) return { bucket: decodeURIComponent(trimmed) }
  const bucket = decodeURIComponent(trimmed.slice(0, slash))
  const key = decodeURIComponent(trimmed.slice(slash + 1))
  return key === '' ? { bucket } : { bucket, key }
}

/** `x-amz-copy-source: /bucket/key?versionId=...` (URL-encoded) as the source object's ARN. */
function copySourceArn(value: string): string {
  const [path] = value.split('?')
  return `arn:aws:s3:::${decodeURIComponent(path!.replace(/^\//, ''))}`
}

/** The IAM checks of a path-style S3 request. */
export function s3Operation({
  method,
  path,
  rawQuery,
  headers,
}: {
  method: string
  path: string
  rawQuery: string
  headers: Readonly<Record<string, string>>
}): S3Operation {
  const query = parseQuery(rawQuery)
  const has = (name: string) => name in query
  const subresources = Object.keys(query).filter((name) => ALL_SUBRESOURCES.has(name))
  const { bucket, key } = splitPath(path)
  const verb = method === 'HEAD' ? 'GET' : method

  if (!bucket) {
    return method === 'GET'
      ? {
          kind: 'request',
          operation: 'ListBuckets',
          checks: [{ action: 's3:ListAllMyBuckets', resource: '*' }],
          context: {},
        }
      : { kind: 'unknown', operation: `${method} /` }
  }

  if (key === undefined) {
    const request = (
      operation: string,
      action: string,
      context: Record<string, string> = {},
    ): S3Operation => ({
      kind: 'request',
      operation,
      bucket,
      checks: [{ action, resource: bucketArn(bucket) }],
      context,
    })
    if (method === 'POST' && has('delete')) return { kind: 'delete-objects', bucket }
    if (subresources.length === 0) {
      if (method === 'GET') {
        const context: Record<string, string> = {}
        for (const name of ['prefix', 'delimiter', 'max-keys'] as const) {
          const value = query[name]
          if (typeof value === 'string') context[`s3:${name}`] = value
        }
        return request(query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects', 's3:ListBucket', context)
      }
      if (method === 'HEAD') return request('HeadBucket', 's3:ListBucket')
      if (method === 'PUT') return request('CreateBucket', 's3:CreateBucket')
      if (method === 'DELETE') return request('DeleteBucket', 's3:DeleteBucket')
    }
    if (subresources.length === 1) {
      const name = subresources[0]!
      const action = BUCKET_SUBRESOURCES[name]?.[verb]
      if (action) return request(`${method} ?${name}`, action)
    }
    return { kind: 'unknown', operation: `${method} /${bucket}?${subresources.join('&')}` }
  }

  const object = objectArn(bucket, key)
  const request = (operation: string, checks: S3Check[]): S3Operation => ({
    kind: 'request',
    operation,
    bucket,
    key,
    checks,
    context: {},
  })
  const versioned = has('versionId')
  const known = subresources.filter((name) => name !== 'versionId')
  if (has('uploadId')) {
    if (method === 'PUT' && has('partNumber')) {
      const copy = headers['x-amz-copy-source']
      const checks = [{ action: 's3:PutObject', resource: object }]
      if (copy) checks.push({ action: 's3:GetObject', resource: copySourceArn(copy) })
      return request(copy ? 'UploadPartCopy' : 'UploadPart', checks)
    }
    if (method === 'POST')
      return request('CompleteMultipartUpload', [{ action: 's3:PutObject', resource: object }])
    if (method === 'DELETE')
      return request('AbortMultipartUpload', [{ action: 's3:AbortMultipartUpload', resource: object }])
    if (method === 'GET')
      return request('ListParts', [{ action: 's3:ListMultipartUploadParts', resource: object }])
    return { kind: 'unknown', operation: `${method} ${path}?uploadId` }
  }
  if (method === 'POST' && has('uploads')) {
    return request('CreateMultipartUpload', [{ action: 's3:PutObject', resource: object }])
  }
  if (known.length === 0) {
    if (method === 'GET' || method === 'HEAD') {
      return request(method === 'GET' ? 'GetObject' : 'HeadObject', [
        { action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: object },
      ])
    }
    if (method === 'PUT') {
      const checks = [{ action: 's3:PutObject', resource: object }]
      const copy = headers['x-amz-copy-source']
      if (copy) checks.push({ action: 's3:GetObject', resource: copySourceArn(copy) })
      if (headers['x-amz-tagging']) checks.push({ action: 's3:PutObjectTagging', resource: object })
      if (headers['x-amz-acl'] || Object.keys(headers).some((h) => h.startsWith('x-amz-grant-'))) {
        checks.push({ action: 's3:PutObjectAcl', resource: object })
      }
      return request(copy ? 'CopyObject' : 'PutObject', checks)
    }
    if (method === 'DELETE') {
      return request('DeleteObject', [
        { action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: object },
      ])
    }
  }
  if (known.length === 1) {
    const name = known[0]!
    const action = OBJECT_SUBRESOURCES[name]?.[verb]
    if (action) {
      const checks = [{ action, resource: object }]
      // GetObjectAttributes needs both (S3 API reference, GetObjectAttributes "Permissions").
      if (name === 'attributes') checks.push({ action: 's3:GetObject', resource: object })
      return request(`${method} ?${name}`, checks)
    }
  }
  return { kind: 'unknown', operation: `${method} /${bucket}/${key}?${known.join('&')}` }
}
