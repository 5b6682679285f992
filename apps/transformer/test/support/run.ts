/** @module Test support: run the transformer on a bare response or on a raw object, as the quirk tests do. */
import type { RawFolder } from '@spotify-lake/schemas'
import { transformRaw } from '../../src/normalize/transform-raw.ts'
import { DT, FETCHED_AT, gzipJson, RUN_ID, recorded } from './fixtures.ts'

export const rawKey = (unit: string, source = 'playlists') =>
  `raw/${source}/dt=${DT}/${RUN_ID}/${unit}.json.gz`

export const EXPECT_PLAYLISTS: { runId: string; dt: string; source: RawFolder } = {
  runId: RUN_ID,
  dt: DT,
  source: 'playlists',
}

/** A bare Spotify response (offline path); the body defaults to the recorded fixture of that name. */
export async function bare(name: string, body: unknown = recorded(name)) {
  const { output } = await transformRaw({
    bytes: Buffer.from(JSON.stringify(body)),
    name,
    extractedAt: FETCHED_AT,
  })
  return output
}

/** A raw object (an envelope, gzip'd here, or bytes as given) checked against a queue message. */
export async function raw(
  value: unknown,
  { key = rawKey('playlist-x-p0000'), expect = EXPECT_PLAYLISTS } = {},
) {
  const bytes = value instanceof Uint8Array ? value : await gzipJson(value)
  const { output } = await transformRaw({ bytes, name: key, expect })
  return output
}
