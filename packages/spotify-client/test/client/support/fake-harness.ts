/** @module Starts a fake Spotify over real HTTP and a client pointed at it, sharing one fake clock. */
import { afterEach } from 'vitest'
import {
  type RunningFakeSpotify,
  type StartFakeSpotifyOptions,
  startFakeSpotify,
} from '../../../src/fake/node.ts'
import { createSpotifyClient, type SpotifyClient, type SpotifyClientOptions } from '../../../src/index.ts'
import { createFakeClock, type FakeClock } from './stub-fetch.ts'

export interface Harness {
  running: RunningFakeSpotify
  client: SpotifyClient
  clock: FakeClock
  /** Another client on the same fake (e.g. with a rotated refresh token). */
  newClient: (options?: Partial<SpotifyClientOptions>) => SpotifyClient
  /** Requests the fake served under /v1 (API calls, not token requests). */
  apiRequests: () => RunningFakeSpotify['fake']['requests']
}

const running: RunningFakeSpotify[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()))
})

export async function startHarness({
  fake: fakeOptions = {},
  client: clientOptions = {},
}: {
  fake?: StartFakeSpotifyOptions
  client?: Partial<SpotifyClientOptions>
} = {}): Promise<Harness> {
  const clock = createFakeClock()
  // The fake's token expiry and rate-limit window run on the same clock the client sleeps on.
  const server = await startFakeSpotify({ seed: 1, now: clock.now, ...fakeOptions })
  running.push(server)
  const { credentials } = server.fake
  const newClient = (options: Partial<SpotifyClientOptions> = {}) =>
    createSpotifyClient({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      refreshToken: credentials.refreshToken,
      apiBaseUrl: `${server.url}/v1`,
      accountsBaseUrl: server.url,
      now: clock.now,
      sleep: clock.sleep,
      random: clock.random,
      ...clientOptions,
      ...options,
    })
  return {
    running: server,
    client: newClient(),
    clock,
    newClient,
    apiRequests: () => server.fake.requests.filter((r) => r.path.startsWith('/v1/')),
  }
}

export { countBy, pagesFor, readablePlaylists } from './catalog-math.ts'
