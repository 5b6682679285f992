/**
 * @module The fake's listening simulator: plays scheduled over the fake's simulated time (its movable
 * clock), and the play history a poll can see at a given time, which holds only the last 50 plays, as
 * Spotify's does (DESIGN.md; `GET /me/player/recently-played` reaches no further back).
 */
import type { FakeCatalog, FakeLibrary } from './catalog-types.ts'
import { createPrng } from './prng.ts'

/** How many plays Spotify keeps: a poll never sees more than the last 50, however it pages. */
export const PLAY_HISTORY_CAP = 50

export type FakePlay = FakeLibrary['plays'][number]

/** What `listen` schedules: `plays` plays, the first at `startAt` (default now), one every `everyMs` ms. */
export interface ListeningSession {
  plays: number
  everyMs: number
  startAt?: number
}

/**
 * Adds a listening session to the library's plays (kept newest first). Tracks and contexts are picked
 * with a PRNG seeded by the catalog and the session's start, so a session's plays are reproducible.
 * `played_at` is when a play ended (Spotify records it then); a play scheduled in the future is heard
 * only once the clock passes it.
 * @throws on a count outside 1..10,000, a step under 1 ms or a start that is not a time.
 */
export function schedulePlays({
  catalog,
  session,
  now,
}: {
  catalog: FakeCatalog
  session: ListeningSession
  now: number
}): FakePlay[] {
  const { plays, everyMs, startAt = now } = session
  if (!Number.isInteger(plays) || plays < 1 || plays > 10_000)
    throw new Error(`listen: plays must be an integer in 1..10000, got ${plays}`)
  if (!Number.isInteger(everyMs) || everyMs < 1)
    throw new Error(`listen: everyMs must be an integer >= 1, got ${everyMs}`)
  if (!Number.isSafeInteger(startAt))
    throw new Error(`listen: startAt must be ms since the epoch, got ${startAt}`)
  const prng = createPrng({ seed: `${catalog.seed}:listen:${startAt}:${everyMs}:${plays}` })
  const contexts = catalog.playlists.filter((p) => !p.editorial)
  const taken = new Set(catalog.library.plays.map((p) => p.playedAt))
  const added: FakePlay[] = []
  for (let i = 0; i < plays; i++) {
    let playedAt = startAt + i * everyMs
    // Two plays never end in the same millisecond (the history is ordered by it).
    while (taken.has(playedAt)) playedAt++
    taken.add(playedAt)
    added.push({
      trackId: prng.pick(catalog.tracks).id,
      playedAt,
      contextPlaylistId: i % 3 !== 0 && contexts.length > 0 ? prng.pick(contexts).id : null,
    })
  }
  catalog.library.plays = [...catalog.library.plays, ...added].sort((a, b) => b.playedAt - a.playedAt)
  return added
}

/** Every play that has happened by `now`, newest first (what a test compares the lake with). */
export function playsBy(library: FakeLibrary, now: number): FakePlay[] {
  return library.plays.filter((p) => p.playedAt <= now)
}

/** The history Spotify holds at `now`: the last `PLAY_HISTORY_CAP` plays that have happened, newest first. */
export function playHistory(library: FakeLibrary, now: number): FakePlay[] {
  return playsBy(library, now).slice(0, PLAY_HISTORY_CAP)
}
