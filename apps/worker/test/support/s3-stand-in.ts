/**
 * @module An S3 endpoint in front of s3rver for the Worker's tests that can fail the way AWS does: be
 * unreachable, or refuse a request (403 SignatureDoesNotMatch for a wrong key, 404 NoSuchBucket for a
 * wrong bucket). s3rver itself accepts any signature, so it alone can never show a wrong key.
 * Tests switch it with `POST /__stand-in/mode` (body: the mode); `pass` forwards every request.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const S3_STAND_IN_MODES = ['pass', 'unreachable', 'signature-mismatch', 'no-such-bucket'] as const
export type S3StandInMode = (typeof S3_STAND_IN_MODES)[number]

export interface S3StandIn {
  endpoint: string
  close(): Promise<void>
}

/** The error bodies AWS answers with (codes and messages as S3 sends them). */
const REFUSALS: Record<Exclude<S3StandInMode, 'pass' | 'unreachable'>, { status: number; body: string }> = {
  'signature-mismatch': {
    status: 403,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>',
  },
  'no-such-bucket': {
    status: 404,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
  },
}

export async function startS3StandIn({ target }: { target: string }): Promise<S3StandIn> {
  const upstream = new URL(target)
  let mode: S3StandInMode = 'pass'

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // Headers as sent: the Host header is signed (SigV4), and the local S3 verifies the signature.
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    req.pipe(out)
  }

  const server = createServer((req, res) => {
    if (req.url === '/__stand-in/mode' && req.method === 'POST') {
      let body = ''
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      req.on('end', () => {
        const next = body.trim() as S3StandInMode
        if (!S3_STAND_IN_MODES.includes(next)) {
          res
            .writeHead(400)
            .end(`unknown mode ${JSON.stringify(body)}; modes: ${S3_STAND_IN_MODES.join(', ')}`)
          return
        }
        mode = next
        res.writeHead(204).end()
      })
      return
    }
    if (mode === 'pass') return forward(req, res)
    // Drop the connection without an answer, like a host that went away mid-request.
    if (mode === 'unreachable') return req.socket.destroy()
    const { status, body } = REFUSALS[mode]
    req.resume()
    res.writeHead(status, { 'content-type': 'application/xml' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
