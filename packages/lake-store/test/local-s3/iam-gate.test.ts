import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { toPolicyDocument } from '@spotify-lake/lake-iam'
import { AwsClient } from 'aws4fetch'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLakeStore, S3Error } from '../../src/index.ts'
import { startIamGate } from '../../src/local-s3/iam-gate.ts'
import { LOCAL_ACCOUNT_ID, type LocalIdentity, newLocalCredentials } from '../../src/local-s3/identities.ts'
import { type LocalS3, startS3rver } from '../../src/testing.ts'

let local: LocalS3
const storeAs = (who: 'spotify-lake-worker' | 'spotify-lake-transformer' | 'operator') =>
  createLakeStore({ endpoint: local.endpoint, bucket: local.bucket, ...local.credentials[who], retries: 0 })
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as S3Error,
  )

beforeAll(async () => {
  local = await startS3rver({ bucket: 'lake' })
})
afterAll(() => local.close())

describe('IAM: each Worker gets exactly the policy infra deploys for it', () => {
  it('lets the worker write raw/ and refuses its delete there with S3’s 403 AccessDenied', async () => {
    const worker = storeAs('spotify-lake-worker')
    await worker.put('raw/playlists/dt=2026-11-21/r1/p.json.gz', 'x')
    const err = await failure(worker.delete('raw/playlists/dt=2026-11-21/r1/p.json.gz'))
    expect(err).toBeInstanceOf(S3Error)
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied', transient: false })
    expect(err!.message).toContain(
      'spotify-lake-local-worker is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::lake/raw/playlists/dt=2026-11-21/r1/p.json.gz"',
    )
    expect(await storeAs('operator').get('raw/playlists/dt=2026-11-21/r1/p.json.gz')).not.toBeNull()
    expect(local.denials.at(-1)).toMatchObject({
      principal: 'spotify-lake-worker',
      operation: 'DeleteObject',
      action: 's3:DeleteObject',
    })
  })

  it('refuses a delete of a key that does not exist just the same (S3 checks IAM first)', async () => {
    const err = await failure(storeAs('spotify-lake-worker').delete('tables/never/written.parquet'))
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied' })
  })

  it('keeps each Worker to its prefixes: the worker cannot read staging/ nor write tables/, the transformer cannot write raw/', async () => {
    expect(await failure(storeAs('spotify-lake-worker').get('staging/t/x.parquet'))).toMatchObject({
      code: 'AccessDenied',
    })
    // It reads tables/ (the dashboard's Athena queries run as the Worker), never writes them.
    expect(await failure(storeAs('spotify-lake-worker').put('tables/t/x.parquet', 'y'))).toMatchObject({
      code: 'AccessDenied',
    })
    expect(await failure(storeAs('spotify-lake-transformer').put('raw/x', 'y'))).toMatchObject({
      code: 'AccessDenied',
    })
    await storeAs('spotify-lake-transformer').put('staging/t/dt=2026-11-21/r/p.parquet', 'z')
    await storeAs('spotify-lake-transformer').delete('staging/t/dt=2026-11-21/r/p.parquet')
    expect(await storeAs('spotify-lake-transformer').listKeys('staging/')).toEqual([])
  })

  it('answers a missing key with 404 to a caller that may list the bucket', async () => {
    expect(await storeAs('spotify-lake-worker').get('runs/none.json')).toBeNull()
  })

  it('answers DeleteObjects key by key: allowed keys go, denied keys come back as AccessDenied', async () => {
    const transformer = storeAs('spotify-lake-transformer')
    await transformer.put('staging/a', '1')
    const sdk = new S3Client({
      endpoint: local.endpoint,
      region: local.region,
      forcePathStyle: true,
      credentials: local.credentials['spotify-lake-transformer'],
    })
    const out = await sdk.send(
      new DeleteObjectsCommand({
        Bucket: 'lake',
        Delete: { Objects: [{ Key: 'staging/a' }, { Key: 'raw/playlists/dt=2026-11-21/r1/p.json.gz' }] },
      }),
    )
    sdk.destroy()
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['staging/a'])
    expect(out.Errors?.map((e) => [e.Key, e.Code])).toEqual([
      ['raw/playlists/dt=2026-11-21/r1/p.json.gz', 'AccessDenied'],
    ])
    expect(await transformer.get('staging/a')).toBeNull()
  })

  it('answers NoSuchBucket for another bucket, before any policy', async () => {
    const other = createLakeStore({ ...local, bucket: 'elsewhere', retries: 0 })
    expect(await failure(other.put('a', 'b'))).toMatchObject({ status: 404, code: 'NoSuchBucket' })
  })

  it('refuses an S3 operation it has no IAM mapping for instead of passing it through', async () => {
    const aws = new AwsClient({ ...local.credentials.operator, service: 's3', region: local.region })
    const res = await aws.fetch(`${local.endpoint}/lake?replication`, { method: 'PUT', body: '<x/>' })
    expect(res.status).toBe(403)
    expect(await res.text()).toMatch(/<Code>AccessDenied<\/Code>.*no IAM action for PUT \/lake\?replication/)
  })
})

describe('SigV4: the gate verifies signatures with the AWS SDK’s signer', () => {
  it('accepts what both aws4fetch and the AWS SDK sign', async () => {
    await storeAs('operator').put('sdk/a', 'aws4fetch')
    const sdk = new S3Client({
      endpoint: local.endpoint,
      region: local.region,
      forcePathStyle: true,
      credentials: local.credentials.operator,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    })
    // The SDK sends the body's real SHA-256, which the gate checks against the body.
    await sdk.send(new PutObjectCommand({ Bucket: 'lake', Key: 'sdk/b', Body: 'sdk' }))
    sdk.destroy()
    expect(await storeAs('operator').listKeys('sdk/')).toEqual(['sdk/a', 'sdk/b'])
  })

  it('answers SignatureDoesNotMatch to a wrong secret and InvalidAccessKeyId to an unknown key', async () => {
    const wrongSecret = createLakeStore({
      ...local,
      secretAccessKey: `${local.secretAccessKey}x`,
      retries: 0,
    })
    expect(await failure(wrongSecret.get('sdk/a'))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    })
    const unknown = createLakeStore({ ...local, ...newLocalCredentials(), retries: 0 })
    expect(await failure(unknown.get('sdk/a'))).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' })
  })

  it('refuses a request altered after signing, a wrong region and a stale clock', async () => {
    const aws = new AwsClient({ ...local.credentials.operator, service: 's3', region: local.region })
    const signed = await aws.sign(`${local.endpoint}/lake/sdk/a`, { method: 'GET' })
    const tampered = await fetch(`${local.endpoint}/lake/sdk/b`, { headers: signed.headers })
    expect(tampered.status).toBe(403)
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>')

    const elsewhere = new AwsClient({ ...local.credentials.operator, service: 's3', region: 'eu-west-1' })
    const wrongRegion = await elsewhere.fetch(`${local.endpoint}/lake/sdk/a`)
    expect(wrongRegion.status).toBe(400)
    expect(await wrongRegion.text()).toMatch(
      /AuthorizationHeaderMalformed.*the region 'eu-west-1' is wrong; expecting 'us-east-1'/,
    )

    const stale = await aws.fetch(`${local.endpoint}/lake/sdk/a`, {
      aws: { datetime: '20200101T000000Z' },
    } as RequestInit)
    expect(stale.status).toBe(403)
    expect(await stale.text()).toContain('<Code>RequestTimeTooSkewed</Code>')
  })

  it('checks a signed payload hash against the body, and refuses anonymous callers', async () => {
    const aws = new AwsClient({ ...local.credentials.operator, service: 's3', region: local.region })
    const hash = createHash('sha256').update('what was signed').digest('hex')
    const res = await aws.fetch(`${local.endpoint}/lake/sdk/c`, {
      method: 'PUT',
      body: 'what was sent',
      headers: { 'x-amz-content-sha256': hash },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>')
    const anonymous = await fetch(`${local.endpoint}/lake/sdk/a`)
    expect(anonymous.status).toBe(403)
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>')
  })
})

describe('a caller without s3:ListBucket', () => {
  let dir: string
  let server: S3rver
  let close: () => Promise<void>
  let endpoint: string
  const reader: LocalIdentity = {
    name: 'operator',
    arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/reader`,
    ...newLocalCredentials(),
    policies: [
      {
        name: 'read-only-objects',
        document: toPolicyDocument([
          { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::plain/*'] },
        ]),
      },
    ],
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gate-'))
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'plain' }],
    })
    const { port } = (await server.run()) as AddressInfo
    const gate = await startIamGate({
      upstream: `http://127.0.0.1:${port}`,
      buckets: ['plain'],
      identities: [reader],
      region: 'us-east-1',
    })
    endpoint = gate.endpoint
    close = async () => {
      await gate.close()
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
  afterAll(() => close())

  it('gets 403 AccessDenied, not 404, for a missing key (S3 hides what it may not list)', async () => {
    const store = createLakeStore({ endpoint, bucket: 'plain', ...reader, retries: 0 })
    expect(await failure(store.get('missing'))).toMatchObject({ status: 403, code: 'AccessDenied' })
  })
})
