/**
 * @module No secret in any log line, object, manifest or the token broker's storage after a my-playlists run
 * with failures and a token rotation: the configured secrets and every token the fake ever issued.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { RunId } from '@spotify-lake/schemas'
import { brokerOf } from '@spotify-lake/token-broker'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { spotifyAppOf } from '../../src/accounts/broker.ts'
import { ExtractConfigSchema, readConfig } from '../../src/config.ts'
import { startRun } from '../../src/run/start-run.ts'
import { issuedSecrets } from './support/capture-console.ts'
import {
  actAsTransformer,
  drainExtract,
  fakeAdmin,
  manifestOf,
  releaseGlobal,
  testEnv,
  wipe,
} from './support/helpers.ts'
import { getText, listKeys } from './support/s3-readback.ts'

const { secrets, development } = inject('spotify')
const started: RunId[] = []

beforeEach(async () => {
  await fakeAdmin().reset()
  await wipe('state/')
})
afterEach(async () => {
  await fakeAdmin().faults({})
  await releaseGlobal(started.splice(0))
})

/** Every secret of the test: the configured ones, this file's consents, and every token the fake issued. */
let known: string[] = []
const allSecrets = () => [...Object.values(secrets), ...Object.values(globalThis.consents), ...known]

function findSecrets(texts: readonly string[]): string[] {
  return texts.flatMap((text) => allSecrets().filter((secret) => text.includes(secret)))
}

/** What a dump of the broker's storage shows: the registry, the account's and the app token's instances. */
async function brokerDump(): Promise<string[]> {
  const broker = brokerOf(env.TOKEN_BROKER, spotifyAppOf(readConfig(ExtractConfigSchema, testEnv().env)))
  const stubs = [broker.registry, broker.account(development.user.accountId), broker.appToken]
  return Promise.all(
    stubs.map((stub) =>
      runInDurableObject(stub, async (_instance, state) => JSON.stringify([...state.storage.kv.list()])),
    ),
  )
}

describe('secrets', () => {
  it('appear in no log line, raw object, state object or manifest after a run with failures', async () => {
    // The scan itself finds a planted secret.
    expect(findSecrets([`token=${secrets.refreshToken}`])).toEqual([secrets.refreshToken])

    // Some 5xx (retried inside the client) on the way: error paths log too.
    await fakeAdmin().faults({ serverErrors: { rate: 0.2, statuses: [500, 503] } })
    const t = testEnv()
    const result = await startRun({
      env: t.env,
      sources: { playlists: [], myPlaylists: true },
      trigger: 'cron',
    })
    if (!result.started) throw new Error('run did not start')
    started.push(result.runId)
    await drainExtract(t)
    await actAsTransformer(t)

    // The user's playlists were listed and each one planned (every playlist of the fake catalog).
    const manifest = await manifestOf(result.runId)
    const listingKey = `my-playlists:${development.user.accountId}`
    expect(manifest?.units[listingKey]).toMatchObject({
      status: 'extracted',
      itemsSeen:
        development.playlists.owned.length +
        development.playlists.other.length +
        development.playlists.collaborative.length +
        development.playlists.editorial.length,
    })
    expect(
      Object.keys(manifest?.units ?? {}).filter((k) => k.startsWith('playlist:') && k.endsWith(':0')),
    ).toHaveLength(manifest?.units[listingKey]?.itemsSeen ?? -1)

    const keys = await listKeys('')
    expect(keys.some((k) => k.startsWith('raw/'))).toBe(true)
    expect(keys.some((k) => k.startsWith('state/'))).toBe(true)
    expect(keys).toContain(`runs/${result.runId}.json`)
    const texts = await Promise.all(keys.map(getText))
    expect(findSecrets(texts)).toEqual([])
    // No bearer or access token of any kind reached an object either.
    for (const text of texts) expect(text).not.toMatch(/access_token|Bearer /)

    expect(globalThis.capturedLogs.length).toBeGreaterThan(10)
    known = await issuedSecrets()
    // The fake issued access tokens and rotated the refresh token: all of them are looked for.
    expect(known.filter((k) => k.startsWith('fake-at-')).length).toBeGreaterThan(0)
    expect(known.filter((k) => k.startsWith('fake-rt-')).length).toBeGreaterThan(1)
    expect(findSecrets(texts)).toEqual([])
    expect(findSecrets(globalThis.capturedLogs)).toEqual([])
    expect(findSecrets([JSON.stringify(manifest)])).toEqual([])
    // The broker holds the tokens, sealed: a dump of its storage shows none of them.
    const dumps = await brokerDump()
    expect(dumps.join('').length).toBeGreaterThan(100)
    expect(dumps.join('')).toContain('"kid"')
    expect(findSecrets(dumps)).toEqual([])
  })
})
