/**
 * @module Finds Debian's Chromium for playwright-core (which downloads no browser of its own). No browser
 * is an error that says how to install one, never a skipped test.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'

/** The variable that names a Chromium binary other than Debian's. */
export const CHROMIUM_ENV = 'LAKE_CHROMIUM'
const NAMES = ['chromium', 'chromium-browser', 'google-chrome']

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[CHROMIUM_ENV]
  const candidates = named
    ? [named]
    : (env.PATH ?? '').split(delimiter).flatMap((dir) => NAMES.map((name) => join(dir, name)))
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  throw new Error(
    named
      ? `${CHROMIUM_ENV}=${named} is not an executable Chromium`
      : `no Chromium found on PATH (${NAMES.join(', ')}): the browser tests need one. Install Debian's: apt-get update && apt-get install -y chromium (or set ${CHROMIUM_ENV} to a Chromium binary)`,
  )
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    // Containers often give /dev/shm only 64 MiB; root in CI cannot use the sandbox.
    args: ['--disable-dev-shm-usage', '--no-sandbox'],
  })
}
