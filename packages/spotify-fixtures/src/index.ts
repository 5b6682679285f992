/**
 * @module The recorded Spotify responses as files (Node only): their folder, their names and their text.
 * Tests in workerd import a file directly instead (`@spotify-lake/spotify-fixtures/recorded/<name>`).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Absolute path of `recorded/`, with a trailing slash. */
export const RECORDED_DIR = join(import.meta.dirname, '../recorded/')

/**
 * The recorded responses' file names (`<endpoint-kind>--<source>--<original-stem>.json`), sorted.
 *
 * @param kinds only the files whose `<endpoint-kind>` is one of these (e.g. `['playlist', 'track']`)
 */
export function recordedNames({ kinds }: { kinds?: readonly string[] } = {}): string[] {
  return readdirSync(RECORDED_DIR)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => !kinds || kinds.includes(kindOf(name)))
    .sort()
}

/** The `<endpoint-kind>` of a file name: `several-tracks--zmb3--find_tracks_simple.json` -> `several-tracks`. */
export function kindOf(name: string): string {
  return name.split('--')[0]!
}

/**
 * A recorded response's text exactly as stored (what a raw envelope's `body` holds).
 *
 * @param name a file name from `recordedNames()`, with or without `.json`
 * @throws Error (ENOENT) when there is no such file
 */
export function recordedText(name: string): string {
  return readFileSync(`${RECORDED_DIR}${name.endsWith('.json') ? name : `${name}.json`}`, 'utf8')
}

/** A recorded response parsed as JSON; the type is the caller's claim, nothing checks it. */
export function recorded<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(recordedText(name)) as T
}
