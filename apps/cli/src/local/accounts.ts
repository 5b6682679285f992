/**
 * @module The local stack's Spotify accounts: the key that seals the broker's tokens (kept in the state
 * folder, like a deployed secret), and connecting the fake's users through the Worker's own /connect and
 * /callback, as a browser would, after forgetting accounts a previous session's fake had.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeSpotify } from '@spotify-lake/spotify-client/fake'
import { writePrivateFile } from './leftovers.ts'

/**
 * `<folder>/token-key`: 32 random bytes in base64, made once and kept (owner-only): the broker's
 * sealed tokens in the wrangler state stay readable from one `lake up` to the next.
 */
export function localTokenKey(folder: string): string {
  const file = join(folder, 'token-key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const key = randomBytes(32).toString('base64')
  writePrivateFile(file, `${key}\n`)
  return key
}

interface ListedAccount {
  accountId: string
  status: string
}

/**
 * Makes the Worker's accounts those of this session's fake: accounts a previous fake had (their tokens
 * are dead now) are disconnected, and every consenting user but the first (whom the session's
 * SPOTIFY_REFRESH_TOKEN seeds at the run's start) is connected through /connect -> the fake's /authorize
 * -> /callback, with the browser's cookie.
 */
export async function connectLocalAccounts({
  workerUrl,
  apiToken,
  fake,
  say = () => {},
}: {
  workerUrl: string
  apiToken: string
  fake: FakeSpotify
  say?: (line: string) => void
}): Promise<void> {
  const auth = { authorization: `Bearer ${apiToken}` }
  const listed = await fetch(`${workerUrl}/accounts`, { headers: auth })
  if (!listed.ok) throw new Error(`GET /accounts answered ${listed.status}: ${await listed.text()}`)
  const { accounts } = (await listed.json()) as { accounts: ListedAccount[] }
  const current = new Set(fake.catalog.accounts.map((a) => a.accountId))
  for (const stale of accounts.filter((a) => !current.has(a.accountId) && a.status !== 'disconnected')) {
    const res = await fetch(`${workerUrl}/accounts/${encodeURIComponent(stale.accountId)}/disconnect`, {
      method: 'POST',
      headers: auth,
    })
    if (!res.ok) throw new Error(`disconnecting ${stale.accountId} answered ${res.status}`)
    say(`accounts         disconnected ${stale.accountId} (an account of an earlier session's fake)`)
  }
  for (const user of fake.catalog.accounts.slice(1)) {
    fake.signIn(user.id)
    try {
      const start = await fetch(`${workerUrl}/connect`, { headers: auth, redirect: 'manual' })
      const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      if (start.status !== 302) throw new Error(`GET /connect answered ${start.status}`)
      const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' })
      if (consent.status !== 302) throw new Error(`the fake's /authorize answered ${consent.status}`)
      const done = await fetch(consent.headers.get('location') ?? '', { headers: { cookie } })
      if (done.status !== 200) throw new Error(`GET /callback answered ${done.status}: ${await done.text()}`)
    } finally {
      fake.signIn(fake.catalog.user.id)
    }
    say(`accounts         connected ${user.id} (account ${user.accountId}) through /connect`)
  }
}
