/** @module Node-only starter: serves a fake Spotify on 127.0.0.1 over real HTTP (port 0 = an ephemeral port). */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createFakeSpotify, type FakeSpotify, type FakeSpotifyOptions } from './fake-spotify.ts'
import { parseFaults } from './faults.ts'

export interface StartFakeSpotifyOptions extends FakeSpotifyOptions {
  port?: number
  hostname?: string
}

export interface RunningFakeSpotify {
  /** e.g. http://127.0.0.1:43123 — use it as both the accounts and the API base URL. */
  url: string
  fake: FakeSpotify
  close(): Promise<void>
}

/** Faults from the FAKE_SPOTIFY_FAULTS env var (JSON), applied when no `faults` option is given. */
export const faultsFromEnv = (env: Record<string, string | undefined> = process.env) => {
  const raw = env.FAKE_SPOTIFY_FAULTS
  if (!raw) return undefined
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new Error('FAKE_SPOTIFY_FAULTS is not valid JSON')
  }
  return parseFaults(json)
}

export const startFakeSpotify = async ({
  port = 0,
  hostname = '127.0.0.1',
  ...options
}: StartFakeSpotifyOptions = {}): Promise<RunningFakeSpotify> => {
  const faults = options.faults ?? faultsFromEnv()
  const fake = createFakeSpotify({ ...options, ...(faults ? { faults } : {}) })
  const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>(
    (resolve, reject) => {
      const s = serve({ fetch: fake.app.fetch, port, hostname }, (info) =>
        resolve({ server: s, address: info }),
      )
      s.once('error', reject)
    },
  )
  const url = `http://${hostname}:${address.port}`
  return {
    url,
    fake,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** A fake in each API mode, from the same options: what a test of both modes (or its globalSetup) starts. */
export interface RunningFakeSpotifyPair {
  development: RunningFakeSpotify
  extended: RunningFakeSpotify
  /** Closes both. */
  close(): Promise<void>
}

/** Starts a development-mode and an extended-mode fake (`mode` in `options` is ignored). */
export const startFakeSpotifyPair = async (
  options: Omit<StartFakeSpotifyOptions, 'mode'> = {},
): Promise<RunningFakeSpotifyPair> => {
  const development = await startFakeSpotify({ ...options, mode: 'development' })
  const extended = await startFakeSpotify({ ...options, mode: 'extended' }).catch(async (error) => {
    await development.close()
    throw error
  })
  return {
    development,
    extended,
    close: async () => {
      await Promise.all([development.close(), extended.close()])
    },
  }
}
