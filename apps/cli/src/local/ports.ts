/** @module Port checks for the local stack: a clear error instead of a half-started stack. */
import { createServer } from 'node:net'

/** Resolves when `port` can be bound on `host`; otherwise throws an error that says what to do. */
export function ensurePortFree(port: number, host = '127.0.0.1', hint = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is in use' : `cannot be used (${err.code ?? err.message})`
      reject(new Error(`port ${port} on ${host} ${why}${hint ? `: ${hint}` : ''}`))
    })
    server.listen(port, host, () => server.close(() => resolve()))
  })
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
