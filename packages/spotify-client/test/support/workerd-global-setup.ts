/** @module vitest globalSetup (Node side) for the workerd project: real fake Spotify servers the workers can fetch. */
import type { TestProject } from 'vitest/node'
import { startFakeSpotifyPair } from '../../src/fake/node.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A development-mode fake (seed 1, default catalog). */
    fakeSpotifyUrl: string
    /** An extended-quota fake (seed 1, default catalog). */
    fakeSpotifyExtendedUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fakes = await startFakeSpotifyPair({ seed: 1 })
  project.provide('fakeSpotifyUrl', fakes.development.url)
  project.provide('fakeSpotifyExtendedUrl', fakes.extended.url)
  return fakes.close
}
