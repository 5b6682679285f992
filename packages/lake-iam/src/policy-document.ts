/** @module IAM policy documents as declared types, rendered to JSON with Terraform references left inside. */

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: readonly string[]
  /** Absent only in trust policies, where the role itself is the resource. */
  Resource?: readonly string[]
  Principal?: Record<string, string | readonly string[]> | '*'
  Condition?: Record<string, Record<string, string | boolean | readonly string[]>>
}

export interface PolicyDocument {
  Version: '2012-10-17'
  Statement: readonly PolicyStatement[]
}

export function toPolicyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements }
}

/** Renders a policy; Terraform references (`${...}`) inside strings survive as interpolations. */
export function toPolicyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(toPolicyDocument(statements))
}

/** `arn:aws:s3:::<bucket>`: the ARN of a bucket by name (S3 ARNs carry no region or account). */
export function bucketArnOf(bucket: string): string {
  return `arn:aws:s3:::${bucket}`
}

/** ARN of every object under `prefix/` in a bucket: the one wildcard form a grant may use. */
export function objectArn({ bucketArn, prefix }: { bucketArn: string; prefix: string }): string {
  if (!prefix.endsWith('/') || prefix.includes('*')) {
    throw new Error(`object prefix must end with '/' and contain no '*': ${JSON.stringify(prefix)}`)
  }
  return `${bucketArn}/${prefix}*`
}
