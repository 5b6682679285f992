/** @module What every fake API route sees: the live catalog, the mode, the caller's grant and the origin for links. */
import type { Context } from 'hono'
import type { FakeCatalog, FakePlaylist } from './catalog-types.ts'
import type { FaultKind } from './faults.ts'
import { SpotifyHttpError } from './http-errors.ts'
import { isSpotifyId } from './prng.ts'
import type { FakeApiMode, RenderContext } from './render.ts'
import type { AccessGrant } from './token-store.ts'

export interface FakeEnv {
  Variables: {
    grant: AccessGrant | undefined
    /** How the caller authenticated, for the request log. */
    auth: 'user' | 'app' | 'none' | 'invalid'
    faults: FaultKind[]
  }
}

export interface FakeRuntime {
  catalog: () => FakeCatalog
  mode: FakeApiMode
  /** Fixed origin for links; by default the origin the request came in on. */
  baseUrl: string | undefined
  /** The fake's simulated time (ms since the epoch): what has been played by now. */
  now: () => number
}

export const renderContext = (runtime: FakeRuntime, c: Context<FakeEnv>): RenderContext => ({
  catalog: runtime.catalog(),
  mode: runtime.mode,
  origin: runtime.baseUrl ?? new URL(c.req.url).origin,
})

export const queryOf = (c: Context): URLSearchParams => new URL(c.req.url).searchParams

export const notFound = (): SpotifyHttpError =>
  new SpotifyHttpError({ status: 404, message: 'Resource not found' })

export const requireId = (id: string): string => {
  if (!isSpotifyId(id)) throw new SpotifyHttpError({ status: 400, message: 'invalid id' })
  return id
}

export const requireUser = (c: Context<FakeEnv>): string => {
  const grant = c.get('grant')
  if (grant?.kind !== 'user' || grant.userId === undefined) {
    throw new SpotifyHttpError({ status: 401, message: 'Valid user authentication required' })
  }
  return grant.userId
}

/**
 * Spotify answers 403 `Insufficient client scope` to a user token whose consent did not grant the
 * endpoint's scope (e.g. `user-follow-read` for GET /me/following), however valid the token is.
 */
export const requireScope = (c: Context<FakeEnv>, scope: string): void => {
  const granted = c.get('grant')?.scope.split(/\s+/) ?? []
  if (!granted.includes(scope))
    throw new SpotifyHttpError({ status: 403, message: 'Insufficient client scope' })
}

const isMember = (playlist: FakePlaylist, userId: string | undefined): boolean =>
  userId !== undefined && (playlist.ownerId === userId || playlist.collaborators.includes(userId))

/**
 * Who may see what. development: editorial playlists are 404; items need a user token of the owner or a
 * collaborator (403 otherwise). Both modes: someone else's private playlist is 404.
 */
export const playlistAccess = ({
  playlist,
  grant,
  mode,
}: {
  playlist: FakePlaylist | undefined
  grant: AccessGrant | undefined
  mode: FakeApiMode
}): { playlist: FakePlaylist; itemsReadable: boolean } => {
  if (!playlist) throw notFound()
  if (mode === 'development' && playlist.editorial) throw notFound()
  const member = grant?.kind === 'user' && isMember(playlist, grant.userId)
  if (!playlist.public && !member) throw notFound()
  return { playlist, itemsReadable: mode === 'extended' || member }
}
