/** @module gzip with the Web Streams API, available in workerd and Node alike. */

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream))
  return new Uint8Array(await out.arrayBuffer())
}

export function gzip(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return pipe(bytes, new CompressionStream('gzip'))
}

/** Throws a clear error on bytes that are not gzip (checked by magic number, then by inflating). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new Error('not gzip data (bad magic number)')
  try {
    return await pipe(bytes, new DecompressionStream('gzip'))
  } catch (cause) {
    throw new Error(`corrupt gzip data: ${(cause as Error).message}`, { cause })
  }
}
