/** @module vitest globalSetup (Node side) for the workerd project: real fake Spotify servers the workers can fetch. */
import type { TestProject } from 'vitest/node'
import { type RunningFakeSpotify, startFakeSpotify } from '../../src/fake/node.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A development-mode fake (seed 1, default catalog). */
    fakeSpotifyUrl: string
    /** An extended-quota fake (seed 1, default catalog). */
    fakeSpotifyExtendedUrl: string
  }
}

let servers: RunningFakeSpotify[] = []

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const development = await startFakeSpotify({ seed: 1, mode: 'development' })
  const extended = await startFakeSpotify({ seed: 1, mode: 'extended' })
  servers = [development, extended]
  project.provide('fakeSpotifyUrl', development.url)
  project.provide('fakeSpotifyExtendedUrl', extended.url)
  return async () => {
    await Promise.all(servers.map((s) => s.close()))
  }
}
