/** @module Test helpers in workerd: recording queues, draining EXTRACT through the real handler, fake admin, S3 reads. */
import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { createLakeStore, gunzip } from '@spotify-lake/lake-store'
import { globalStub, runStub } from '@spotify-lake/run-coordinator'
import type {
  ExtractMessage,
  RawEnvelope,
  RunId,
  RunManifest,
  TransformQueueMessage,
} from '@spotify-lake/schemas'
import { inject } from 'vitest'
import { runAccounts } from '../../../src/accounts/plan.ts'
import { ExtractConfigSchema, readConfig } from '../../../src/config.ts'
import worker from '../../../src/index.ts'

export interface Sent<T> {
  body: T
  delaySeconds?: number | undefined
}

/** A Queue producer that records what was sent, so a test can deliver it by hand (or inspect it). */
export class RecordingQueue<T> {
  readonly sent: Sent<T>[] = []
  async send(body: T, options?: QueueSendOptions): Promise<void> {
    this.sent.push({ body, delaySeconds: options?.delaySeconds })
  }
  async sendBatch(messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions): Promise<void> {
    for (const m of messages)
      this.sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? options?.delaySeconds })
  }
  /** Everything sent since the last take. */
  take(): Sent<T>[] {
    return this.sent.splice(0, this.sent.length)
  }
}

export interface TestEnv {
  env: Env
  extract: RecordingQueue<ExtractMessage>
  transform: RecordingQueue<TransformQueueMessage>
}

/**
 * The real bindings (Durable Objects, secrets, vars) with recording queues and optional var overrides;
 * SPOTIFY_REFRESH_TOKEN is this file's fresh consent (`consent.ts`).
 */
export function testEnv(overrides: Partial<Record<keyof Env, unknown>> = {}): TestEnv {
  const extract = new RecordingQueue<ExtractMessage>()
  const transform = new RecordingQueue<TransformQueueMessage>()
  const e = {
    ...env,
    SPOTIFY_REFRESH_TOKEN: globalThis.consents.development,
    ...overrides,
    EXTRACT_QUEUE: extract,
    TRANSFORM_QUEUE: transform,
  } as unknown as Env
  return { env: e, extract, transform }
}

/**
 * Seeds the broker from each env's SPOTIFY_REFRESH_TOKEN, as a run's start does (a token call and a
 * `GET /me` the first time in a file), so a test that counts requests can clear the fake's log after it.
 */
export async function seedAccounts(...envs: TestEnv[]): Promise<void> {
  for (const t of envs) await runAccounts({ env: t.env, config: readConfig(ExtractConfigSchema, t.env) })
}

/** Bindings pointing the Worker at the extended-mode fake (and this file's consent there). */
export function extendedMode(): Partial<Record<keyof Env, unknown>> {
  const { url } = inject('spotify').extended
  return {
    SPOTIFY_API_BASE_URL: `${url}/v1`,
    SPOTIFY_ACCOUNTS_BASE_URL: url,
    SPOTIFY_REFRESH_TOKEN: globalThis.consents.extended,
  }
}

let messageCounter = 0

/** Delivers messages to the Worker's real `queue()` handler as one batch; returns the ack/retry outcome. */
export async function deliver(
  t: TestEnv,
  bodies: readonly unknown[],
  { queue = 'spotify-lake-extract', attempts = 1 }: { queue?: string; attempts?: number } = {},
): Promise<{ result: QueueResult; ids: string[] }> {
  const messages = bodies.map((body) => ({
    id: `m${++messageCounter}`,
    timestamp: new Date(),
    attempts,
    body,
  }))
  const batch = createMessageBatch(queue, messages)
  // The test batch records that a message was retried but drops the options: keep the delays here.
  const delays = new Map<string, number | undefined>()
  for (const message of batch.messages) {
    const retry = message.retry.bind(message)
    Object.defineProperty(message, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays.set(message.id, options?.delaySeconds)
        retry(options)
      },
    })
  }
  const ctx = createExecutionContext()
  await worker.queue(batch, t.env, ctx)
  const result = await getQueueResult(batch, ctx)
  for (const retried of result.retryMessages) retried.delaySeconds = delays.get(retried.msgId)
  return { result, ids: messages.map((m) => m.id) }
}

/**
 * Delivers EXTRACT messages (4 per batch, as wrangler.jsonc) until none are left, like the queue would.
 * Returns every batch result; retried messages are not redelivered (tests look at them).
 */
export async function drainExtract(t: TestEnv, { maxBatches = 200 } = {}): Promise<QueueResult[]> {
  const results: QueueResult[] = []
  for (let i = 0; i < maxBatches; i++) {
    const next = t.extract.sent.splice(0, 4)
    if (next.length === 0) return results
    results.push(
      (
        await deliver(
          t,
          next.map((m) => m.body),
        )
      ).result,
    )
  }
  throw new Error('drainExtract: too many batches')
}

/** What the transformer would report for each TRANSFORM message, then its finalize claim (its contract). */
export async function actAsTransformer(t: TestEnv): Promise<TransformQueueMessage[]> {
  const finalizes: TransformQueueMessage[] = []
  for (const { body } of t.transform.take()) {
    if (body.kind === 'finalize') {
      finalizes.push(body)
      continue
    }
    if (body.kind !== 'transform') continue
    const run = runStub(env.RUN_COORDINATOR, body.runId)
    await run.rawTransformed({ rawKey: body.rawKey, tables: {}, rejects: {}, itemsSeen: 0 })
    if (await run.claimFinalize(body.rawKey))
      finalizes.push({ v: 1, kind: 'finalize', runId: body.runId, dt: body.dt })
  }
  return finalizes
}

export function manifestOf(runId: RunId): Promise<RunManifest | null> {
  return runStub(env.RUN_COORDINATOR, runId).manifest()
}

/** Frees the app-wide lock and rate-limit block a test left behind. */
export async function releaseGlobal(runIds: readonly RunId[]): Promise<void> {
  const g = globalStub(env.RUN_COORDINATOR)
  for (const id of runIds) await g.release(id)
  await g.unblock()
}

/** Makes the Worker's S3 (and its coordinator's) fail the way AWS does, or work again (`pass`). */
export async function s3Mode(
  mode: 'pass' | 'unreachable' | 'signature-mismatch' | 'no-such-bucket',
): Promise<void> {
  const res = await fetch(`${inject('s3StandIn')}/__stand-in/mode`, { method: 'POST', body: mode })
  if (res.status !== 204) throw new Error(`S3 stand-in: ${res.status} ${await res.text()}`)
}

export function lake() {
  const s3 = inject('s3')
  return createLakeStore({ ...s3, retries: 0 })
}

/** Reads a raw object back (gunzip + JSON). */
export async function readRaw(key: string): Promise<RawEnvelope> {
  const bytes = await lake().get(key)
  if (!bytes) throw new Error(`no object ${key}`)
  return JSON.parse(new TextDecoder().decode(await gunzip(bytes))) as RawEnvelope
}

/** Removes every object under `prefix` (state between tests). */
export async function wipe(prefix: string): Promise<void> {
  const store = lake()
  // One at a time: s3rver prunes empty folders after a delete and races with parallel deletes there.
  await store.deleteMany(await store.listKeys(prefix), { concurrency: 1 })
}

export interface FakeRequest {
  method: string
  path: string
  query: Record<string, string>
  status: number
  auth: string
}

/** A play as the fake's admin API lists it. */
export interface FakePlayJson {
  track_id: string
  played_at: string
  context_uri: string | null
}

/** A saved track or album as the fake's admin API lists it. */
export interface FakeSavedJson {
  id: string
  added_at: string
}

/** The fake Spotify's admin API (Node-side server, reached over real HTTP). */
export function fakeAdmin(mode: 'development' | 'extended' = 'development') {
  const { url } = inject('spotify')[mode]
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`fake admin ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  return {
    reset: () => post('/__fake/reset'),
    /** Every access token the fake issued stops working (401 "The access token expired"). */
    expireTokens: () => post('/__fake/tokens/expire'),
    /** A new consent of the fake's user: its refresh token (single-use, PKCE-issued). */
    consent: async (): Promise<string> =>
      ((await post('/__fake/consent')) as { refresh_token: string }).refresh_token,
    /** Moves the fake's clock (token expiry, the six-month consent lifetime). */
    advanceClock: (ms: number) => post('/__fake/clock', { advanceMs: ms }),
    /** A listening session on the fake's clock: `plays` plays from `startAt` (default now), one every `everyMs`. */
    listen: (session: { plays: number; everyMs: number; startAt?: string }) =>
      post('/__fake/listen', session) as Promise<{ plays: FakePlayJson[] }>,
    /** Every play that has happened by the fake's clock, newest first (also those Spotify no longer shows). */
    plays: async (): Promise<FakePlayJson[]> => {
      const res = await fetch(`${url}/__fake/plays`)
      return ((await res.json()) as { plays: FakePlayJson[] }).plays
    },
    /** Who /authorize consents as; `deny` refuses the next consent. */
    signIn: (userId: string, deny = false) => post('/__fake/session', { userId, deny }),
    /** Requests to the token endpoint (not recorded by `requests`, which keeps /v1 only). */
    tokenRequests: async (): Promise<(FakeRequest & { grantType?: string })[]> => {
      const res = await fetch(`${url}/__fake/requests`)
      return ((await res.json()) as (FakeRequest & { grantType?: string })[]).filter(
        (r) => r.path === '/api/token',
      )
    },
    /** Saves and removals in the user's library now, by the fake's clock. */
    changeLibrary: (change: {
      saveTracks?: number
      saveAlbums?: number
      removeTracks?: number
      removeAlbums?: number
    }) =>
      post('/__fake/library', change) as Promise<{
        addedAt: string
        savedTracks: string[]
        savedAlbums: string[]
        removedTracks: string[]
        removedAlbums: string[]
      }>,
    /** The user's saved tracks and albums now, newest first. */
    library: async (): Promise<{ tracks: FakeSavedJson[]; albums: FakeSavedJson[] }> => {
      const res = await fetch(`${url}/__fake/library`)
      return (await res.json()) as { tracks: FakeSavedJson[]; albums: FakeSavedJson[] }
    },
    faults: (faults: unknown) => post('/__fake/faults', faults),
    mutate: (id: string, change: { size?: number; metadataOnly?: boolean } = {}) =>
      post(`/__fake/playlists/${id}/mutate`, change) as Promise<{ snapshot_id: string }>,
    /** New albums, each by a new artist, whose tracks join the playlist (the catalog grows). */
    release: (id: string, release: { albums: number; tracksPerAlbum?: number }) =>
      post(`/__fake/playlists/${id}/release`, release) as Promise<{ snapshot_id: string; total: number }>,
    /** Each playlist's size as the fake serves it now. */
    totals: async (): Promise<Record<string, number>> => {
      const res = await fetch(`${url}/__fake/catalog`)
      const catalog = (await res.json()) as { playlists: { id: string; total: number }[] }
      return Object.fromEntries(catalog.playlists.map((p) => [p.id, p.total]))
    },
    requests: async (): Promise<FakeRequest[]> => {
      const res = await fetch(`${url}/__fake/requests`)
      return ((await res.json()) as FakeRequest[]).filter((r) => r.path.startsWith('/v1/'))
    },
  }
}
