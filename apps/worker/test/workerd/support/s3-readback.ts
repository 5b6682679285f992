/** @module Reads what the Worker wrote back through a second, independent S3 client: @aws-sdk/client-s3. */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { gunzip } from '@spotify-lake/lake-store'
import type { RawEnvelope } from '@spotify-lake/schemas'
import { inject } from 'vitest'
import { lake } from './helpers.ts'

let client: S3Client | undefined

function s3(): S3Client {
  const { endpoint, accessKeyId, secretAccessKey } = inject('s3')
  client ??= new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    // s3rver keeps aws-chunked framing verbatim: checksum only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return client
}

/**
 * Listing goes through the lake store: ListObjects answers XML, and the SDK's browser build needs a
 * DOMParser that workerd does not have. Object bodies (no XML) are read with the SDK.
 */
export function listKeys(prefix: string): Promise<string[]> {
  return lake()
    .listKeys(prefix)
    .then((keys) => keys.sort())
}

export async function getBytes(key: string): Promise<Uint8Array> {
  const object = await s3().send(new GetObjectCommand({ Bucket: inject('s3').bucket, Key: key }))
  if (!object.Body) throw new Error(`empty object ${key}`)
  return object.Body.transformToByteArray()
}

/** An object as text (gunzipped when it is gzip). */
export async function getText(key: string): Promise<string> {
  const bytes = await getBytes(key)
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? await gunzip(bytes) : bytes
  return new TextDecoder().decode(plain)
}

export async function getEnvelope(key: string): Promise<RawEnvelope> {
  return JSON.parse(await getText(key)) as RawEnvelope
}
