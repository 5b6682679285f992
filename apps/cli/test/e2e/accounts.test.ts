/**
 * @module E2e, two Spotify accounts in one local run: the second connected through the Worker's /connect,
 * each account's listing landing with its account_id, a playlist both list extracted once; rotation on,
 * the token broker's budget, and not one issued token anywhere in the lake, the stack's files or the repo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { minimumCalls } from '../../bench/minimum-calls.ts'
import type { LakeDb } from '../../src/query/index.ts'
import { expectedRows, expectReconciled, expectRunObjects, expectTables } from './support/assert-run.ts'
import { expectedLake, listedPairs, readablePlaylists } from './support/expected.ts'
import { openLake, queryObjects } from './support/lake.ts'
import { scanForSecrets } from './support/secrets.ts'
import {
  type E2eStack,
  expectTokenBudget,
  logTail,
  runToEnd,
  startE2eStack,
  tokenCalls,
} from './support/stack.ts'

const MODE = 'development'
const DT = ['2026-05-01', '2026-05-02'] as const

describe('two accounts through the local stack', () => {
  let lake: E2eStack
  let db: LakeDb | undefined

  beforeAll(async () => {
    // 8 playlists: each account owns a public and a private one, follows someone else's, collaborates on one.
    lake = await startE2eStack({ mode: MODE, seed: 23, playlists: 8, items: 12, accounts: 2 })
  })
  afterAll(async () => {
    db?.close()
    await lake?.close()
  })

  it('extracts both accounts; each listing lands with its account_id, a playlist both list is one entity', async () => {
    const catalog = lake.fake.catalog
    const [first, second] = catalog.accounts
    const run = await runToEnd(lake, { dt: DT[0] })
    const expected = expectedLake(catalog, MODE)
    expectReconciled(run.manifest, expectedRows(expected))
    await expectRunObjects(lake.store, run.manifest)
    expect(run.manifest.api.byEndpoint).toEqual(minimumCalls(catalog, MODE))

    // Both accounts in the plan and the manifest, with their consent's days.
    expect(Object.keys(run.manifest.accounts).sort()).toEqual([first!.accountId, second!.accountId].sort())
    for (const a of Object.values(run.manifest.accounts)) expect(a).toMatchObject({ status: 'connected' })
    for (const a of catalog.accounts) {
      expect(run.manifest.units[`my-playlists:${a.accountId}`]).toMatchObject({
        status: 'extracted',
        account: a.accountId,
      })
    }
    // A development-mode app reads another account's own playlist with that account's token.
    const shared = catalog.playlists.filter((p) => !p.editorial && p.listedBy.length === 2)
    expect(shared.length).toBeGreaterThan(0)
    for (const p of shared) {
      const owner = catalog.accounts.find((a) => a.id === p.ownerId)!
      expect(run.manifest.units[`playlist:${p.id}:0`]).toMatchObject({
        status: 'extracted',
        account: owner.accountId,
      })
    }

    db = await openLake(lake)
    await expectTables(db, DT[0], expectedRows(expected))
    const links = await queryObjects(
      db,
      `SELECT account_id, playlist_id, is_owner, user_id FROM account_playlists WHERE dt = '${DT[0]}' ORDER BY 1, 2`,
    )
    expect(links.map((r) => ({ accountId: r.account_id, playlistId: r.playlist_id }))).toEqual(
      listedPairs(catalog).sort((a, b) =>
        a.accountId === b.accountId
          ? a.playlistId < b.playlistId
            ? -1
            : 1
          : a.accountId < b.accountId
            ? -1
            : 1,
      ),
    )
    for (const row of links) {
      const account = catalog.accounts.find((a) => a.accountId === row.account_id)!
      expect(row.user_id).toBe(account.id)
      expect(row.is_owner).toBe(catalog.playlistById.get(String(row.playlist_id))!.ownerId === account.id)
    }
    // One row per playlist in playlists, whoever lists it; two in account_playlists for a shared one.
    const perPlaylist = await queryObjects(
      db,
      `SELECT p.playlist_id, count(DISTINCT a.account_id) AS accounts FROM playlists p JOIN account_playlists a USING (playlist_id, dt) WHERE dt = '${DT[0]}' GROUP BY 1 ORDER BY 1`,
    )
    expect(perPlaylist.map((r) => r.playlist_id)).toEqual(
      readablePlaylists(catalog, MODE)
        .map((p) => p.id)
        .sort(),
    )
    for (const p of shared) expect(perPlaylist.find((r) => r.playlist_id === p.id)?.accounts).toBe(2)

    // Rotation is on (the session's consents are PKCE-issued): still at most one refresh per account.
    expectTokenBudget(run, { accounts: 2 })
  })

  it('a second run within the hour asks the token endpoint nothing: the broker hands out what it holds', async () => {
    const run = await runToEnd(lake, { dt: DT[1] })
    expect(run.manifest.status, logTail(lake.stack.logFile)).toBe('succeeded')
    expect(tokenCalls(run)).toEqual({})
    expect(Object.keys(run.manifest.accounts)).toHaveLength(2)
  })

  it('no token the fake issued appears in the lake, the Workers log, the stack state or the repository', async () => {
    const secrets = lake.fake.issuedSecrets()
    // Access tokens, the rotated refresh tokens and the consent's code were all issued and are looked for.
    expect(secrets.filter((s) => s.startsWith('fake-at-')).length).toBeGreaterThan(0)
    expect(secrets.filter((s) => s.startsWith('fake-rt-')).length).toBeGreaterThan(2)
    expect(secrets.filter((s) => s.startsWith('fake-code-')).length).toBe(1)
    const lakeFindings = await scanForSecrets({ secrets, store: lake.store })
    expect(lakeFindings.places).toEqual([])
    expect(lakeFindings.scanned.objects).toBeGreaterThan(10)
    // Then the stack stops: wrangler flushes its storage, and the config copies (which hold the secrets
    // on purpose, owner-only) are removed; its files and the repository are read byte by byte.
    await lake.stack.stop()
    // Authorization codes travel in the callback's URL by OAuth's design (browser history, the platform's
    // request traces keep it); each works once and was exchanged within its request. Everything else:
    const tokens = secrets.filter((s) => !s.startsWith('fake-code-'))
    const findings = await scanForSecrets({ secrets: tokens, dirs: [lake.dir] })
    expect(findings.places).toEqual([])
    const repo = await scanForSecrets({ secrets, repo: true })
    expect(repo.places).toEqual([])
    expect(findings.scanned.files).toBeGreaterThan(20)
    expect(repo.scanned.files).toBeGreaterThan(300)
  })
})
