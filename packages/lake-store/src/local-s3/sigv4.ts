/**
 * @module SigV4 verification of incoming S3 requests, as S3 does it, with the AWS SDK's own signer
 * (`@smithy/signature-v4`): an implementation independent of aws4fetch, which the Workers sign with.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { S3ErrorAnswer } from './s3-errors.ts'
import { invalidAccessKeyId, signatureDoesNotMatch } from './s3-errors.ts'

/**
 * SHA-256 (HMAC-SHA256 with a secret) over node:crypto, the `Checksum` shape the signer takes. (The SDK's
 * own `@smithy/hash-node` resolves to its browser build under the Workers test pool's conditions.)
 */
class Sha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(toBytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }
  reset(): void {
    throw new Error('Sha256.reset is not used by the signer')
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return new Uint8Array(data)
}

/** An S3 request as it arrived: the raw (still percent-encoded) path and query, lower-case header names. */
export interface IncomingS3Request {
  method: string
  path: string
  rawQuery: string
  headers: Readonly<Record<string, string>>
  body: Uint8Array
}

export type SignatureResult =
  | { kind: 'signed'; accessKeyId: string }
  | { kind: 'anonymous' }
  | { kind: 'error'; error: S3ErrorAnswer }

/** S3 refuses requests whose x-amz-date is more than 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/
const SHA256_HEX = /^[0-9a-f]{64}$/
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'

const malformed = (message: string, fields?: Record<string, string>): S3ErrorAnswer => ({
  status: 400,
  code: 'AuthorizationHeaderMalformed',
  message,
  ...(fields ? { fields } : {}),
})

/** The decoded query, as the signer wants it: repeated names become arrays, a bare `?delete` is `''`. */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue
    const at = pair.indexOf('=')
    const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at))
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1))
    const seen = query[name]
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]
  }
  return query
}

function parseAmzDate(value: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '')
  if (!m) return null
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

/**
 * Verifies a request's `Authorization` header the way S3 does: known key, credential scope (date,
 * region, `s3`), clock skew, `x-amz-content-sha256` present and, when it names a hash, equal to the
 * body's; then the signature, recomputed over exactly the headers the client says it signed.
 *
 * @returns `signed` with the key id, `anonymous` when the request carries no credentials, or the
 *   S3 error to answer (InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed, ...).
 */
export async function verifySignature({
  request,
  secretOf,
  region,
  now = new Date(),
}: {
  request: IncomingS3Request
  /** The secret of a known access key id, or undefined. */
  secretOf: (accessKeyId: string) => string | undefined
  region: string
  now?: Date
}): Promise<SignatureResult> {
  const { headers } = request
  const query = parseQuery(request.rawQuery)
  const authorization = headers.authorization
  if (authorization === undefined) {
    if ('X-Amz-Algorithm' in query || 'Signature' in query) {
      return {
        kind: 'error',
        error: {
          status: 403,
          code: 'AccessDenied',
          message: 'Query-string authentication (presigned URLs) is not supported by the local S3 IAM gate',
        },
      }
    }
    return { kind: 'anonymous' }
  }
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    return {
      kind: 'error',
      error: {
        status: 400,
        code: 'InvalidRequest',
        message:
          'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      },
    }
  }
  const match = AUTH.exec(authorization.trim())
  if (!match) return { kind: 'error', error: malformed('The authorization header is malformed.') }
  const [, accessKeyId, scopeDate, scopeRegion, scopeService, signedList, signature] =
    match as unknown as string[]
  const secret = secretOf(accessKeyId!)
  if (secret === undefined) return { kind: 'error', error: invalidAccessKeyId(accessKeyId!) }

  const signedAt = parseAmzDate(headers['x-amz-date'])
  if (!signedAt) {
    return {
      kind: 'error',
      error: {
        status: 403,
        code: 'AccessDenied',
        message: 'AWS authentication requires a valid Date or x-amz-date header',
      },
    }
  }
  if (scopeDate !== headers['x-amz-date']!.slice(0, 8)) {
    return { kind: 'error', error: malformed('Invalid credential date. Date is not the same as X-Amz-Date.') }
  }
  if (scopeRegion !== region) {
    return {
      kind: 'error',
      error: malformed(
        `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`,
        { Region: region },
      ),
    }
  }
  if (scopeService !== 's3') {
    return {
      kind: 'error',
      error: malformed(
        `The authorization header is malformed; incorrect service '${scopeService}'. This endpoint belongs to 's3'.`,
      ),
    }
  }
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    return {
      kind: 'error',
      error: {
        status: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
        fields: {
          RequestTime: headers['x-amz-date']!,
          ServerTime: now.toISOString(),
          MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
        },
      },
    }
  }
  const contentSha = headers['x-amz-content-sha256']
  if (contentSha === undefined) {
    return {
      kind: 'error',
      error: {
        status: 400,
        code: 'InvalidRequest',
        message: 'Missing required header for this request: x-amz-content-sha256',
      },
    }
  }
  if (contentSha.startsWith('STREAMING-')) {
    return {
      kind: 'error',
      error: {
        status: 501,
        code: 'NotImplemented',
        message: `The local S3 IAM gate does not verify aws-chunked uploads (${contentSha}); sign the payload or send UNSIGNED-PAYLOAD`,
      },
    }
  }
  if (contentSha !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(contentSha)) {
    return {
      kind: 'error',
      error: {
        status: 400,
        code: 'InvalidArgument',
        message:
          'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.',
        fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: contentSha },
      },
    }
  }

  // Re-sign over exactly what the client signed. The payload hash always comes from the header (S3 uses
  // its value in the canonical request whether or not the header itself was signed).
  const signedNames = signedList!.split(';')
  const signable = new Set(signedNames)
  const toSign: Record<string, string> = { 'x-amz-content-sha256': contentSha }
  for (const name of signedNames) {
    const value = headers[name]
    if (value !== undefined) toSign[name] = value
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: secret },
    region,
    service: 's3',
    sha256: Sha256,
    // S3 signs the path as sent (encoded once), not normalised and double-encoded like other services.
    uriEscapePath: false,
    applyChecksum: false,
  })
  const host = headers.host ?? ''
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: request.path,
      query,
      headers: toSign,
    },
    {
      signingDate: signedAt,
      signableHeaders: signable,
      ...(signable.has('x-amz-content-sha256')
        ? {}
        : { unsignableHeaders: new Set(['x-amz-content-sha256']) }),
    },
  )
  const expected = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(signed.headers.authorization),
  )
  const sameHeaders = expected?.[1] === signedList
  const sameSignature =
    expected !== null && timingSafeEqual(Buffer.from(expected[2]!, 'hex'), Buffer.from(signature!, 'hex'))
  if (!sameHeaders || !sameSignature) {
    return {
      kind: 'error',
      error: signatureDoesNotMatch({ AWSAccessKeyId: accessKeyId!, SignatureProvided: signature! }),
    }
  }
  if (contentSha !== UNSIGNED_PAYLOAD) {
    const actual = createHash('sha256').update(request.body).digest('hex')
    if (actual !== contentSha) {
      return {
        kind: 'error',
        error: {
          status: 400,
          code: 'XAmzContentSHA256Mismatch',
          message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
          fields: { ClientComputedContentSHA256: contentSha, S3ComputedContentSHA256: actual },
        },
      }
    }
  }
  return { kind: 'signed', accessKeyId: accessKeyId! }
}
