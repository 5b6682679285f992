/**
 * @module How the Athena stand-in authenticates a request as Athena does: SigV4 recomputed with the AWS
 * SDK's signer over exactly the headers the client signed, scoped to service `athena` and the region,
 * within five minutes; refusals carry Athena's JSON error types.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'

class Sha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }
  reset(): void {}
}
function bytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return new Uint8Array(data)
}

export class AthenaFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}
export const invalid = (message: string) => new AthenaFault(400, 'InvalidRequestException', message)

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/

/** The access key id of a correctly signed request; throws the AthenaFault Athena would answer. */
export async function authenticate(
  req: IncomingMessage,
  body: Buffer,
  options: { region: string; identities: Record<string, { secretAccessKey: string }> },
): Promise<string> {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [
      k.toLowerCase(),
      Array.isArray(v) ? v.join(',') : (v ?? ''),
    ]),
  )
  const m = AUTH.exec(headers.authorization ?? '')
  if (!headers.authorization)
    throw new AthenaFault(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
  if (!m)
    throw new AthenaFault(
      400,
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature',
    )
  const [, keyId, day, region, service, signedList, signature] = m as unknown as string[]
  const identity = options.identities[keyId!]
  if (!identity)
    throw new AthenaFault(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    )
  if (service !== 'athena')
    throw new AthenaFault(
      400,
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'athena'.",
    )
  if (region !== options.region)
    throw new AthenaFault(
      400,
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${region}'.`,
    )
  const amzDate = /^(\d{8})T(\d{6})Z$/.exec(headers['x-amz-date'] ?? '')
  if (!amzDate || amzDate[1] !== day)
    throw new AthenaFault(
      400,
      'IncompleteSignatureException',
      'Date must be in ISO-8601 basic format and match the credential scope.',
    )
  const signedAt = new Date(
    `${amzDate[1]!.slice(0, 4)}-${amzDate[1]!.slice(4, 6)}-${amzDate[1]!.slice(6)}T${amzDate[2]!.slice(0, 2)}:${amzDate[2]!.slice(2, 4)}:${amzDate[2]!.slice(4)}Z`,
  )
  if (Math.abs(Date.now() - signedAt.getTime()) > 5 * 60_000)
    throw new AthenaFault(400, 'InvalidSignatureException', 'Signature expired.')
  const names = signedList!.split(';')
  const toSign: Record<string, string> = {}
  for (const name of names) if (headers[name] !== undefined) toSign[name] = headers[name]!
  const signer = new SignatureV4({
    credentials: { accessKeyId: keyId!, secretAccessKey: identity.secretAccessKey },
    region: options.region,
    service: 'athena',
    sha256: Sha256,
    applyChecksum: false,
  })
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: (headers.host ?? '').replace(/:\d+$/, ''),
      path: req.url ?? '/',
      headers: toSign,
      body: body.toString('utf8'),
    },
    { signingDate: signedAt, signableHeaders: new Set(names) },
  )
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1]
  if (!expected || !timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature!, 'hex')))
    throw new AthenaFault(
      400,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    )
  return keyId!
}
