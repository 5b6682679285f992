/** @module S3's error answers, as real S3 writes them: status, `<Error>` XML with Code, Message, RequestId, HostId. */
import { randomBytes } from 'node:crypto'

/** One S3 error answer; `fields` become extra elements (e.g. `AWSAccessKeyId`, `Region`). */
export interface S3ErrorAnswer {
  status: number
  code: string
  message: string
  fields?: Record<string, string>
}

function escapeXml(text: string): string {
  // Element text: S3 escapes only what XML requires there (quotes stay as they are).
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
}

/** The XML body S3 sends with an error (HEAD requests get the status and no body). */
export function s3ErrorXml({ code, message, fields = {} }: S3ErrorAnswer, requestId: string): string {
  const extra = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('')
  const hostId = randomBytes(32).toString('base64')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`
}

export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase()
}

/**
 * 403 AccessDenied with the detail S3 gives same-account callers since 2023: who, which action, which
 * resource, and which kind of policy failed to allow it.
 */
export function accessDenied({
  principalArn,
  action,
  resource,
  reason = 'no identity-based policy allows',
}: {
  principalArn?: string
  action?: string
  resource?: string
  reason?: string
}): S3ErrorAnswer {
  const message =
    principalArn && action && resource
      ? `User: ${principalArn} is not authorized to perform: ${action} on resource: "${resource}" because ${reason} the ${action} action`
      : 'Access Denied'
  return { status: 403, code: 'AccessDenied', message }
}

export const invalidAccessKeyId = (accessKeyId: string): S3ErrorAnswer => ({
  status: 403,
  code: 'InvalidAccessKeyId',
  message: 'The AWS Access Key Id you provided does not exist in our records.',
  fields: { AWSAccessKeyId: accessKeyId },
})

export const signatureDoesNotMatch = (fields: Record<string, string>): S3ErrorAnswer => ({
  status: 403,
  code: 'SignatureDoesNotMatch',
  message:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  fields,
})
