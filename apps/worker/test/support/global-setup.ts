/** @module Node side of the tests: a real S3 server (s3rver) and two fake Spotify APIs (development and extended mode). */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newLocalCredentialSet, OPERATOR, startS3rver } from '@spotify-lake/lake-store/testing'
import { type RunningFakeSpotify, startFakeSpotifyPair } from '@spotify-lake/spotify-client/fake/node'
import type { TestProject } from 'vitest/node'
import { startAthenaStandIn } from './athena-stand-in.ts'
import { startS3StandIn } from './s3-stand-in.ts'

/** Distinctive values, so a test can search every log line and object for them. */
export const TEST_SECRETS = {
  clientId: 'cid-test-4e1f0a',
  clientSecret: 'SECRET-client-7f3a9c51',
  refreshToken: 'SECRET-refresh-2b8e1d77',
  apiToken: 'SECRET-api-token-5d1c9e8a0f',
  s3SecretAccessKey: 'SECRET-s3-key-9a7b3c2d',
  /** 32 bytes in base64: seals the broker's tokens. */
  tokenKey: btoa('SECRET-token-key-0123456789abcde'),
} as const

export interface FakeInfo {
  url: string
  /** The consenting user: Spotify user id and `GET /me`'s account_id. */
  user: { id: string; accountId: string }
  playlists: { owned: string[]; other: string[]; collaborative: string[]; editorial: string[] }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local S3 with the operator's key pair: tests read back and clean up with it. */
    s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string }
    /** The worker's own key pair (its IAM user, with the policy infra deploys): the Worker's bindings. */
    s3Worker: { accessKeyId: string; secretAccessKey: string }
    /** The Worker's S3_ENDPOINT: a stand-in in front of the local S3 that tests can make fail (s3-stand-in.ts). */
    s3StandIn: string
    spotify: { development: FakeInfo; extended: FakeInfo; secrets: typeof TEST_SECRETS }
    /** The dashboard's Athena: a stand-in of its HTTP API over DuckDB and the CLI's test lake (athena-stand-in.ts). */
    athena: { endpoint: string; region: string; workgroup: string; database: string }
    /** A stand-in Cloudflare Access team: its certs URL serves the public key of `privateJwk`. */
    access: { teamDomain: string; aud: string; kid: string; privateJwk: JsonWebKey }
  }
}

/** Serves `/cdn-cgi/access/certs` as an Access team does, with a fresh RS256 key. */
async function startAccessTeam() {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const kid = 'test-access-key-1'
  const publicJwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid, alg: 'RS256' }
  const privateJwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey
  const server = createServer((req, res) => {
    if (req.url === '/cdn-cgi/access/certs') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }))
    } else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    info: {
      teamDomain: `http://127.0.0.1:${port}`,
      aud: 'test-access-aud-0123456789abcdef',
      kid,
      privateJwk,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export default async function setup(project: TestProject) {
  // The Worker signs as its own IAM user, whose secret is one of the values no log line may show.
  const credentials = newLocalCredentialSet()
  credentials['spotify-lake-worker'].secretAccessKey = TEST_SECRETS.s3SecretAccessKey
  const s3 = await startS3rver({ bucket: 'worker-test', credentials })
  const standIn = await startS3StandIn({ target: s3.endpoint })
  const options = {
    seed: 'worker-tests',
    // Playlist 0 is long enough to need follow-up messages at CALL_BUDGET 3 in both modes.
    sizes: [260, 30, 25, 40],
    clientId: TEST_SECRETS.clientId,
    clientSecret: TEST_SECRETS.clientSecret,
    refreshToken: TEST_SECRETS.refreshToken,
  }
  const fakes = await startFakeSpotifyPair(options)
  const info = (fake: RunningFakeSpotify): FakeInfo => {
    const { playlists, user } = fake.fake.catalog
    return {
      url: fake.url,
      user: { id: user.id, accountId: user.accountId },
      playlists: {
        owned: playlists.filter((p) => p.ownerId === user.id && !p.editorial).map((p) => p.id),
        other: playlists
          .filter((p) => p.ownerId !== user.id && !p.editorial && !p.collaborators.includes(user.id))
          .map((p) => p.id),
        collaborative: playlists.filter((p) => p.collaborators.includes(user.id)).map((p) => p.id),
        editorial: playlists.filter((p) => p.editorial).map((p) => p.id),
      },
    }
  }
  const operator = credentials[OPERATOR]
  project.provide('s3', { endpoint: s3.endpoint, bucket: s3.bucket, ...operator })
  project.provide('s3Worker', credentials['spotify-lake-worker'])
  project.provide('s3StandIn', standIn.endpoint)
  const access = await startAccessTeam()
  project.provide('access', access.info)
  const athena = await startAthenaStandIn(credentials['spotify-lake-worker'])
  project.provide('athena', athena.info)
  project.provide('spotify', {
    development: info(fakes.development),
    extended: info(fakes.extended),
    secrets: TEST_SECRETS,
  })
  return async () => {
    await Promise.all([fakes.close(), access.close(), athena.close()])
    await standIn.close()
    await s3.close()
  }
}
