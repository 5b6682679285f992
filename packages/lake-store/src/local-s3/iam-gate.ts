/**
 * @module The IAM gate: an HTTP front for a local S3 server that does what real S3 does before it touches
 * an object. It verifies each request's SigV4 signature, maps the request to its IAM actions and resource
 * ARNs, evaluates them against the caller's policies, and answers S3's own errors (AccessDenied,
 * SignatureDoesNotMatch, InvalidAccessKeyId, ...); allowed requests go on to the server unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { authorize } from './authorize.ts'
import { deleteObjects } from './delete-objects.ts'
import { createUpstream, headersOf, readBody, sendError } from './http-io.ts'
import type { LocalIdentity } from './identities.ts'
import { type S3Check, s3Operation } from './s3-actions.ts'
import { accessDenied, newRequestId } from './s3-errors.ts'
import { type IncomingS3Request, verifySignature } from './sigv4.ts'

/** A request the gate refused on IAM grounds (signature errors are not denials: nobody was identified). */
export interface Denial {
  principal: string
  operation: string
  action: string
  resource: string
  at: string
}

export interface IamGate {
  endpoint: string
  port: number
  /** Every IAM denial since the gate started, oldest first. */
  readonly denials: readonly Denial[]
  close(): Promise<void>
}

export interface StartIamGateOptions {
  /** Origin of the S3 server behind the gate, e.g. `http://127.0.0.1:4568`. */
  upstream: string
  /** The buckets the server holds: a request to any other answers NoSuchBucket, as S3 does before IAM. */
  buckets: readonly string[]
  identities: readonly LocalIdentity[]
  region: string
  port?: number
  /** Told about each denial as it happens (the local stack writes it to its log). */
  onDenied?: (denial: Denial) => void
  /** Told about every request once answered (benchmarks count a Worker's S3 requests with it). */
  onRequest?: (entry: GateRequest) => void
}

/** One request as the gate answered it: who (null when unidentified), which S3 operation, the status, when. */
export interface GateRequest {
  principal: string | null
  operation: string
  key?: string
  status: number
  at: number
}

export async function startIamGate({
  upstream,
  buckets,
  identities,
  region,
  port = 0,
  onDenied,
  onRequest,
}: StartIamGateOptions): Promise<IamGate> {
  const byKeyId = new Map(identities.map((identity) => [identity.accessKeyId, identity]))
  const behind = createUpstream(upstream)
  const denials: Denial[] = []
  const requestInfo = new WeakMap<
    IncomingMessage,
    { principal: string | null; operation: string; key?: string }
  >()

  /** The first check the identity is not allowed, or null when all are. */
  async function firstDenied(
    identity: LocalIdentity,
    checks: readonly S3Check[],
    context: Record<string, string>,
  ) {
    for (const check of checks) {
      const decision = await authorize({ identity, ...check, context })
      if (decision !== 'Allowed') return check
    }
    return null
  }

  /** Records a refusal: in `denials` and with the listener. */
  function record(identity: LocalIdentity, operation: string, check: S3Check) {
    const denial = { principal: identity.name, operation, ...check, at: new Date().toISOString() }
    denials.push(denial)
    onDenied?.(denial)
  }

  function deny(
    res: ServerResponse,
    method: string,
    identity: LocalIdentity,
    operation: string,
    check: S3Check,
  ) {
    record(identity, operation, check)
    sendError(res, method, accessDenied({ principalArn: identity.arn, ...check }))
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const headers = headersOf(req)
    const request: IncomingS3Request = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      headers,
      body: await readBody(req),
    }
    const signature = await verifySignature({
      request,
      secretOf: (id) => byKeyId.get(id)?.secretAccessKey,
      region,
    })
    if (signature.kind === 'error') return sendError(res, request.method, signature.error)
    // The lake bucket is private: S3 refuses anonymous callers before looking at any policy.
    if (signature.kind === 'anonymous') return sendError(res, request.method, accessDenied({}))
    const identity = byKeyId.get(signature.accessKeyId)!
    const operation = s3Operation(request)
    const info = requestInfo.get(req)
    if (info) {
      info.principal = identity.name
      info.operation = operation.kind === 'request' ? operation.operation : operation.kind
      if (operation.kind === 'request' && operation.key) info.key = operation.key
    }
    if (operation.kind === 'unknown') {
      return sendError(res, request.method, {
        ...accessDenied({}),
        message: `Access Denied: the local S3 IAM gate knows no IAM action for ${operation.operation}; add it to s3-actions.ts`,
      })
    }
    const { bucket } = operation
    if (
      bucket !== undefined &&
      !buckets.includes(bucket) &&
      !(operation.kind === 'request' && operation.operation === 'CreateBucket')
    ) {
      return sendError(res, request.method, {
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist',
        fields: { BucketName: bucket },
      })
    }
    if (operation.kind === 'delete-objects') {
      const result = await deleteObjects({
        body: Buffer.from(request.body).toString('utf8'),
        allowed: async (key) => {
          const check = { action: 's3:DeleteObject', resource: `arn:aws:s3:::${operation.bucket}/${key}` }
          if ((await firstDenied(identity, [check], {})) === null) return true
          record(identity, 'DeleteObjects', check)
          return false
        },
        deleteKey: async (key) => {
          const path = `/${encodeURIComponent(operation.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`
          const { 'content-type': _, 'content-md5': __, ...rest } = headers
          const answer = await behind.forward({
            method: 'DELETE',
            path,
            rawQuery: '',
            headers: rest,
            body: new Uint8Array(),
          })
          return answer.status
        },
      })
      res.statusCode = 200
      res.setHeader('content-type', 'application/xml')
      res.setHeader('x-amz-request-id', newRequestId())
      res.end(result)
      return
    }
    const denied = await firstDenied(identity, operation.checks, operation.context)
    if (denied) return deny(res, request.method, identity, operation.operation, denied)

    const answer = await behind.forward(request)
    // S3 answers a missing key with 404 only to callers who may list the bucket; others get 403.
    if (
      answer.status === 404 &&
      (operation.operation === 'GetObject' || operation.operation === 'HeadObject') &&
      operation.bucket
    ) {
      const list = { action: 's3:ListBucket', resource: `arn:aws:s3:::${operation.bucket}` }
      if ((await firstDenied(identity, [list], {})) !== null) {
        return deny(res, request.method, identity, operation.operation, list)
      }
    }
    res.statusCode = answer.status
    for (const [name, value] of Object.entries(answer.headers)) {
      if (name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive')
        res.setHeader(name, value)
    }
    res.end(request.method === 'HEAD' ? undefined : answer.body)
  }

  const server = createServer((req, res) => {
    if (onRequest) {
      const started = {
        principal: null as string | null,
        operation: 'unknown',
        key: undefined as string | undefined,
      }
      res.on('finish', () => onRequest({ ...started, status: res.statusCode, at: Date.now() }))
      requestInfo.set(req, started)
    }
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      // The S3 server behind the gate is down (a chaos test stopped it) or the gate has a bug: S3's 503/500.
      const down = (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
      sendError(res, req.method ?? 'GET', {
        status: down ? 503 : 500,
        code: down ? 'ServiceUnavailable' : 'InternalError',
        message: down ? 'Please reduce your request rate.' : `local S3 IAM gate: ${(error as Error).message}`,
      })
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const bound = (server.address() as AddressInfo).port
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    denials,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      behind.close()
    },
  }
}
