/** @module Node-only: a real S3-protocol server (s3rver) on loopback for tests and the local stack. */
/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
// s3rver ships no types; its constructor options are documented in its README.
import S3rver from 's3rver'

export interface LocalS3 {
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  region: string
  directory: string
  /** An AWS SDK client set up the way s3rver needs it, for reading back what the Workers wrote. */
  s3: S3Client
  close(): Promise<void>
}

export interface StartS3rverOptions {
  port?: number
  bucket?: string
  /** Where objects live on disk; a fresh temp folder (removed on close) when omitted. */
  directory?: string
  silent?: boolean
}

/** s3rver does not check signatures: any key pair works, these are placeholders, not secrets. */
const LOCAL_KEY_ID = 'S3RVER'
const LOCAL_SECRET = 'S3RVER'

export async function startS3rver({
  port = 0,
  bucket = 'spotify-lake',
  directory,
  silent = true,
}: StartS3rverOptions = {}): Promise<LocalS3> {
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'lake-s3-')))
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  })
  const address = (await server.run()) as AddressInfo
  const endpoint = `http://127.0.0.1:${address.port}`
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: LOCAL_KEY_ID, secretAccessKey: LOCAL_SECRET },
    // s3rver stores aws-chunked framing of checksummed streaming uploads verbatim: only checksum when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return {
    endpoint,
    bucket,
    accessKeyId: LOCAL_KEY_ID,
    secretAccessKey: LOCAL_SECRET,
    region: 'us-east-1',
    directory: dir,
    s3,
    async close() {
      s3.destroy()
      await server.close()
      if (!directory) await rm(dir, { recursive: true, force: true })
    },
  }
}
