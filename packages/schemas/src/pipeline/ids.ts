/** @module Run ids and partition dates: sortable, validated, never built by hand elsewhere. */
import { z } from 'zod'

function isCalendarDate(dt: string): boolean {
  const day = new Date(`${dt}T00:00:00Z`)
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(dt)
}

/** `YYYY-MM-DD`, the lake's partition key. */
export const DtSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dt must look like YYYY-MM-DD')
  .refine(isCalendarDate, {
    message: 'dt must be a real calendar date',
  })
export type Dt = z.infer<typeof DtSchema>

/** Sortable run id: UTC start time to the millisecond, then a random suffix (`20261121T010203456Z-k3j9x2`). */
export const RunIdSchema = z
  .string()
  .regex(/^\d{8}T\d{9}Z-[a-z0-9]{6}$/, 'run_id must look like 20261121T010203456Z-abc123')
export type RunId = z.infer<typeof RunIdSchema>

/**
 * A Spotify id as a unit or a setting names it: base62, 22 characters in every id Spotify issues today
 * (https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids); up to 64 are accepted so
 * a longer id some day is not refused before Spotify itself answers.
 */
export const SpotifyIdSchema = z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'not a Spotify id')

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Builds a run id; lexical order equals start-time order. */
export function newRunId({
  now = new Date(),
  random = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32,
}: {
  now?: Date
  random?: () => number
} = {}): RunId {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '')
  let suffix = ''
  for (let i = 0; i < 6; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length)]
  return `${stamp}-${suffix}`
}

/** The UTC date of an instant as a partition value. */
export function toDt(instant: Date): string {
  return instant.toISOString().slice(0, 10)
}

/** The start time encoded in a run id. */
export function runIdTime(runId: RunId): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(runId)
  if (!m) throw new Error(`not a run id: ${runId}`)
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`)
}
