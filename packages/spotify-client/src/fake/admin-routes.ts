/** @module createAdminRoutes: the fake's /__fake admin API (request log, faults, consents, sign-in, clock, listening, catalog). */
import { Hono } from 'hono'
import type { FakeSpotify } from './fake-spotify-types.ts'
import type { LibraryChange } from './library-changes.ts'
import type { FakePlay } from './listening.ts'
import type { FakeEnv } from './route-context.ts'

const playJson = (p: FakePlay) => ({
  track_id: p.trackId,
  played_at: new Date(p.playedAt).toISOString(),
  context_uri: p.contextPlaylistId ? `spotify:playlist:${p.contextPlaylistId}` : null,
})

/** Admin API for tests and the local stack (never recorded, never faulted). */
export const createAdminRoutes = ({ fake }: { fake: FakeSpotify }): Hono<FakeEnv> => {
  const admin = new Hono<FakeEnv>()
  admin.get('/__fake/requests', (c) => c.json(fake.requests))
  admin.get('/__fake/secrets', (c) => c.json([...new Set(fake.issuedSecrets())]))
  admin.post('/__fake/faults', async (c) => {
    try {
      fake.setFaults(await c.req.json())
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
    return c.json({ ok: true })
  })
  admin.post('/__fake/reset', (c) => {
    fake.reset()
    return c.json({ ok: true })
  })
  admin.post('/__fake/tokens/expire', (c) => {
    fake.expireTokens()
    return c.json({ ok: true })
  })
  admin.post('/__fake/consent', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { userId?: string; flow?: 'pkce' | 'confidential' }
    try {
      const { refreshToken, consentedAt } = fake.consent(body)
      return c.json({ refresh_token: refreshToken, consented_at: new Date(consentedAt).toISOString() })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  admin.post('/__fake/session', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { userId?: string; deny?: boolean }
    try {
      fake.signIn(body.userId ?? fake.catalog.user.id, { deny: body.deny === true })
      return c.json({ ok: true })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  admin.post('/__fake/clock', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { advanceMs?: number }
    try {
      fake.advanceClock(body.advanceMs ?? 0)
      return c.json({ now: new Date(fake.now()).toISOString() })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  // A listening session on the simulated clock: `{ plays, everyMs, startAt? }` (startAt: ISO 8601, default now).
  admin.post('/__fake/listen', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      plays?: number
      everyMs?: number
      startAt?: string
    }
    try {
      const startAt = body.startAt === undefined ? undefined : Date.parse(body.startAt)
      const added = fake.listen({
        plays: body.plays ?? 0,
        everyMs: body.everyMs ?? 0,
        ...(startAt === undefined ? {} : { startAt }),
      })
      return c.json({ plays: added.map(playJson) })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  admin.get('/__fake/plays', (c) =>
    c.json({ now: new Date(fake.now()).toISOString(), plays: fake.playsSoFar().map(playJson) }),
  )
  // Saves and removals in the library now: `{ saveTracks?, removeTracks?, ... }` for tracks, albums, shows, episodes.
  admin.post('/__fake/library', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as LibraryChange
    try {
      return c.json(fake.changeLibrary(body))
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  // The library now, newest first: what a test compares the lake's holdings with.
  admin.get('/__fake/library', (c) =>
    c.json({
      now: new Date(fake.now()).toISOString(),
      tracks: fake.catalog.library.savedTracks.map((s) => ({ id: s.trackId, added_at: s.addedAt })),
      albums: fake.catalog.library.savedAlbums.map((s) => ({ id: s.albumId, added_at: s.addedAt })),
      shows: fake.catalog.library.savedShows.map((s) => ({ id: s.showId, added_at: s.addedAt })),
      episodes: fake.catalog.library.savedEpisodes.map((s) => ({ id: s.episodeId, added_at: s.addedAt })),
    }),
  )
  admin.post('/__fake/playlists/:id/mutate', async (c) => {
    const change = (await c.req.json().catch(() => ({}))) as { size?: number; metadataOnly?: boolean }
    try {
      const playlist = fake.mutatePlaylist(c.req.param('id'), change)
      return c.json({ id: playlist.id, snapshot_id: playlist.snapshotId, total: playlist.entries.length })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 404)
    }
  })
  admin.post('/__fake/playlists/:id/release', async (c) => {
    const release = (await c.req.json().catch(() => ({}))) as { albums?: number; tracksPerAlbum?: number }
    try {
      const playlist = fake.releaseAlbums(c.req.param('id'), { albums: release.albums ?? 1, ...release })
      return c.json({ id: playlist.id, snapshot_id: playlist.snapshotId, total: playlist.entries.length })
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400)
    }
  })
  admin.get('/__fake/catalog', (c) =>
    c.json({
      mode: fake.mode,
      user: fake.catalog.user,
      accounts: fake.catalog.accounts,
      playlists: fake.catalog.playlists.map((p) => ({
        id: p.id,
        name: p.name,
        owner: p.ownerId,
        public: p.public,
        collaborative: p.collaborative,
        editorial: p.editorial,
        listed_by: p.listedBy,
        snapshot_id: p.snapshotId,
        total: p.entries.length,
      })),
    }),
  )
  return admin
}
