/** @module The gate's HTTP plumbing: read a request whole, answer S3 errors, forward to the S3 server behind. */
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { newRequestId, type S3ErrorAnswer, s3ErrorXml } from './s3-errors.ts'
import type { IncomingS3Request } from './sigv4.ts'

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Node's headers, one string per name (repeated headers joined as HTTP does). */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** S3's error answer: the status, a request id, and the XML body (none for HEAD, as S3 does). */
export function sendError(res: ServerResponse, method: string, error: S3ErrorAnswer): void {
  const requestId = newRequestId()
  res.statusCode = error.status
  res.setHeader('x-amz-request-id', requestId)
  if (method === 'HEAD') {
    res.end()
    return
  }
  res.setHeader('content-type', 'application/xml')
  res.end(s3ErrorXml(error, requestId))
}

export interface UpstreamAnswer {
  status: number
  headers: Record<string, string | string[]>
  body: Buffer
}

export interface Upstream {
  /** The request as it came, without its signature (the server behind checks none), answered whole. */
  forward(request: IncomingS3Request): Promise<UpstreamAnswer>
  close(): void
}

/** A keep-alive client of the S3 server behind the gate (`http://127.0.0.1:PORT`). */
export function createUpstream(origin: string): Upstream {
  const target = new URL(origin)
  const agent = new Agent({ keepAlive: true })
  return {
    forward(request) {
      const { authorization: _, host: __, 'transfer-encoding': ___, ...rest } = request.headers
      return new Promise((resolve, reject) => {
        const out = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: request.method,
            path: `${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
            headers: { ...rest, host: target.host, 'content-length': String(request.body.length) },
            agent,
          },
          (answer) => {
            const chunks: Buffer[] = []
            answer.on('data', (chunk: Buffer) => chunks.push(chunk))
            answer.on('end', () =>
              resolve({
                status: answer.statusCode ?? 502,
                headers: answer.headers as Record<string, string | string[]>,
                body: Buffer.concat(chunks),
              }),
            )
            answer.on('error', reject)
          },
        )
        out.on('error', reject)
        out.end(request.body)
      })
    },
    close() {
      agent.destroy()
    },
  }
}
