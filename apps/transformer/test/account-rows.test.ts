/** @module A playlist listing inside a `my-playlists` raw object: one `account_playlists` row per listed playlist, with its account. */
import { recordedText } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { DT, envelope, gzipJson, RUN_ID } from './support/fixtures.ts'

/**
 * A recorded `GET /v1/users/{id}/playlists?offset=20&limit=5` answer (positions start at 20). It is no
 * input of the golden tests: a listing holds rows only together with its account (a `my-playlists` unit).
 */
const LISTING = recordedText('user-playlists--zmb3--current_users_playlists.json')
const listing = JSON.parse(LISTING) as {
  offset: number
  items: {
    id: string
    owner: { id: string }
    collaborative: boolean
    public: boolean
    snapshot_id: string
    tracks: { total: number }
  }[]
}
const unit = { type: 'my-playlists', accountId: 'aB3dE5fG7h', userId: listing.items[0]!.owner.id } as const
const key = `raw/playlists/dt=${DT}/${RUN_ID}/my-playlists-aB3dE5fG7h.json.gz`

async function transformListing(body: string) {
  const env = envelope({ source: 'playlists', unit, responses: [{ endpoint: '/me/playlists', body }] })
  return transformRaw({
    bytes: await gzipJson(env),
    name: key,
    expect: { runId: RUN_ID, dt: DT, source: 'playlists' },
  })
}

describe('account_playlists', () => {
  it('links the account to each listed playlist at its position; no playlist entity rows from a listing', async () => {
    const { output } = await transformListing(LISTING)
    expect(output.account_playlists.rejects).toEqual([])
    expect(
      output.account_playlists.rows.map((r) => ({ ...r, _extracted_at: undefined, _run_id: undefined })),
    ).toEqual(
      listing.items.map((p, i) => ({
        account_id: unit.accountId,
        user_id: unit.userId,
        playlist_id: p.id,
        position: listing.offset + i,
        owner_id: p.owner.id,
        is_owner: p.owner.id === unit.userId,
        collaborative: p.collaborative,
        public: p.public,
        snapshot_id: p.snapshot_id,
        items_total: p.tracks.total,
        _extracted_at: undefined,
        _run_id: undefined,
      })),
    )
    expect(output.account_playlists.rows.every((r) => r._run_id === RUN_ID)).toBe(true)
    expect(output.playlists.rows).toEqual([])
  })

  it('rejects a listed entry off its record schema with its reason, skips a null one, and needs to know the account', async () => {
    const broken = JSON.parse(LISTING) as { items: unknown[] }
    broken.items[1] = { name: 'no id', owner: { id: 'someone' } }
    broken.items[2] = null
    const { output } = await transformListing(JSON.stringify(broken))
    expect(output.account_playlists.rows).toHaveLength(listing.items.length - 2)
    expect(output.account_playlists.rejects.map((r) => [r.reason, r.path, r.detail])).toEqual([
      ['invalid_payload', 'responses[0].items[1]', expect.stringContaining('id')],
    ])
    expect(output.account_playlists.seen).toBe(listing.items.length - 1)
    // A bare listing (offline) says nothing of whose it is: no rows.
    const bare = await transformRaw({ bytes: Buffer.from(LISTING), name: 'listing.json' })
    expect(bare.output.account_playlists.rows).toEqual([])
  })

  it('keeps an entry whose fields the lake does not need, and one that leaves out what it may (nulls, not rejects)', async () => {
    const odd = JSON.parse(LISTING) as { items: Record<string, unknown>[] }
    // Fields no column reads, of any shape, never reject it (raw keeps them as sent).
    odd.items[0] = { ...odd.items[0], images: 'not a list', name: 7, external_urls: null, href: null }
    // What SimplifiedPlaylistObject leaves optional may be absent: owner, flags, snapshot, total.
    odd.items[1] = { id: 'bareListedPlaylist001' }
    const { output } = await transformListing(JSON.stringify(odd))
    expect(output.account_playlists.rejects).toEqual([])
    expect(output.account_playlists.rows).toHaveLength(listing.items.length)
    expect(output.account_playlists.rows[0]).toMatchObject({
      playlist_id: listing.items[0]!.id,
      is_owner: true,
    })
    expect(output.account_playlists.rows[1]).toMatchObject({
      playlist_id: 'bareListedPlaylist001',
      owner_id: null,
      is_owner: null,
      collaborative: null,
      public: null,
      snapshot_id: null,
      items_total: null,
    })
  })

  it('still reads a raw object written before accounts were planned (a my-playlists unit without one)', async () => {
    const env = envelope({
      source: 'playlists',
      unit: { type: 'my-playlists' } as never,
      responses: [{ endpoint: '/me/playlists', body: LISTING }],
    })
    const { output } = await transformRaw({
      bytes: await gzipJson(env),
      name: key,
      expect: { runId: RUN_ID, dt: DT, source: 'playlists' },
    })
    // Replayable as before: no reject, and no link rows (whose listing it was is not known).
    expect(Object.values(output).flatMap((t) => t.rejects)).toEqual([])
    expect(output.account_playlists.rows).toEqual([])
  })
})
