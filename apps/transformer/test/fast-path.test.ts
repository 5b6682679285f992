/**
 * @module The fast path agrees with zod: guard by guard on real and mutated records, and transform by
 * transform (rows, rejects, duplicates) on the recorded fixtures, the quirks and mutated payloads.
 */

import { readdirSync, readFileSync } from 'node:fs'
import { generateInstance, loadOpenApi, responseSchema } from '@spotify-lake/schemas/contract'
import { describe, expect, it } from 'vitest'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { RECORDS, type Validation } from '../src/normalize/validate.ts'
import { FETCHED_AT, recorded, recordedNames } from './support/fixtures.ts'
import { allPaths, edit, type Path } from './support/openapi-paths.ts'
import { inShape } from './support/shapes.ts'

const QUIRKS_DIR = `${import.meta.dirname}/fixtures/spotify-quirks/`
const inputs: [string, unknown][] = [
  ...recordedNames().map((n): [string, unknown] => [n, recorded(n)]),
  ...readdirSync(QUIRKS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((n): [string, unknown] => [n, JSON.parse(readFileSync(`${QUIRKS_DIR}${n}`, 'utf8'))]),
]

/** mulberry32: a small seeded PRNG, so every run tries the same mutations and a failure reproduces. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Values that break, or just bend, what Spotify documents; placeholders and the kind discriminators too. */
const ODD_VALUES: unknown[] = [
  null,
  '',
  'x',
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  true,
  false,
  [],
  {},
  [null],
  ['x', 1],
  { id: 'x', name: 'y' },
  '0000',
  '0000-00-00',
  '1981-12',
  '1970-01-01T00:00:00Z',
  '2020-13-01T00:00:00Z',
  '2023-12-01T10:00:00+02:00',
  'spotify:local:a:b:c:1',
  'track',
  'episode',
  'audiobook',
  'year',
]

type Mutation = { path: Path; remove: true } | { path: Path; set: unknown }

function mutate<T>(value: T, random: () => number, count: number): { value: T; mutations: Mutation[] } {
  let current = value
  const mutations: Mutation[] = []
  for (let i = 0; i < count; i++) {
    const paths = allPaths(current)
    if (paths.length === 0) break
    const path = paths[Math.floor(random() * paths.length)]!
    const mutation: Mutation =
      random() < 0.25 && typeof path.at(-1) === 'string'
        ? { path, remove: true }
        : { path, set: ODD_VALUES[Math.floor(random() * ODD_VALUES.length)] }
    current = edit(current, path, 'remove' in mutation ? { remove: true } : { set: mutation.set })
    mutations.push(mutation)
  }
  return { value: current, mutations }
}

/** Every object inside a payload: each is a candidate for every record kind (most fail both ways). */
function objectsIn(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) objectsIn(v, out)
  else if (typeof value === 'object' && value !== null) {
    out.push(value)
    for (const v of Object.values(value)) objectsIn(v, out)
  }
  return out
}

/** The value with every list cut to its first two elements: big pages become small records of the same shape. */
function trimmed(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 2).map(trimmed)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimmed(v)]))
}

/** A record's shape: its paths with list indexes folded, so seeds of one shape are tried once. */
const shapeOf = (value: unknown) =>
  JSON.stringify(
    [
      ...new Set(allPaths(value).map((p) => p.map((k) => (typeof k === 'number' ? '*' : k)).join('.'))),
    ].sort(),
  )

/** Plays are records only inside a recently-played unit's object (no bare transform): seeds for the guards. */
const PLAYS: unknown = recorded('recently-played--zmb3--player_recently_played.json')
/** Top items pages, likewise only inside a top-items unit's object. */
const TOP: unknown[] = [
  recorded('top-tracks--zmb3--current_users_top_tracks.json'),
  recorded('top-artists--zmb3--current_users_top_artists.json'),
]
/**
 * No recorded GET /me/following is at hand: its page as the OpenAPI description shapes it (a cursor page
 * under `artists`), around recorded artists.
 */
const FOLLOWING: unknown = {
  artists: {
    href: 'https://api.spotify.com/v1/me/following?type=artist&limit=2',
    items: [recorded('artist--zmb3--find_artist.json'), recorded('artist--tssdk--validArtist.json')],
    limit: 2,
    next: null,
    cursors: { after: null },
    total: 2,
  },
}

/** Saved tracks and albums likewise (their rows need the unit's account and holdings). */
const doc = loadOpenApi()
const SAVED: unknown[] = [
  recorded('saved-tracks--zmb3--current_users_tracks.json'),
  recorded('saved-albums--zmb3--current_users_albums.json'),
  // No recorded response of saved shows and episodes: instances generated from the OpenAPI description.
  ...['/me/shows', '/me/episodes'].map((path) =>
    generateInstance({ doc, schema: responseSchema({ doc, method: 'get', path }), arrayLength: 2 }),
  ),
]

describe('generated guards answer what zod answers', () => {
  const seeds = [...inputs.map(([, body]) => body), PLAYS, ...TOP, FOLLOWING, ...SAVED].flatMap((body) =>
    objectsIn(body),
  )
  const distinct = [...new Map(seeds.map(trimmed).map((v) => [JSON.stringify(v), v])).values()]

  it.each(Object.entries(RECORDS))(
    '%s: every object of the fixtures, every odd value at every path of each valid one, random mutations',
    (_, record) => {
      const agree = (value: unknown) => {
        const zod = record.schema.safeParse(value).success
        if (record.guard(value) !== zod) {
          expect.fail(`guard says ${!zod}, zod says ${zod} for ${JSON.stringify(value).slice(0, 400)}`)
        }
        return zod
      }
      // Every object as it is: most are not this kind of record and must fail both ways.
      const valid = seeds.filter(agree)
      expect(valid.length).toBeGreaterThan(0)
      // Each shape of valid record once, with every path removed and every odd value put at every path.
      const shapes = new Map(valid.map(trimmed).map((v) => [shapeOf(v), v]))
      let accepted = 0
      let rejected = 0
      for (const seed of shapes.values()) {
        for (const path of allPaths(seed)) {
          const variants = [
            ...(typeof path.at(-1) === 'string' ? [edit(seed, path, { remove: true })] : []),
            ...ODD_VALUES.map((v) => edit(seed, path, { set: v })),
          ]
          for (const value of variants)
            if (agree(value)) accepted++
            else rejected++
        }
      }
      // Both outcomes are exercised, not just one.
      expect(accepted).toBeGreaterThan(10)
      expect(rejected).toBeGreaterThan(10)
      // And random multi-point mutations of every distinct (trimmed) object.
      const random = prng(0x5eed)
      for (const seed of distinct)
        for (let i = 0; i < 4; i++) agree(mutate(seed, random, 2 + Math.floor(random() * 3)).value)
    },
  )
})

async function outcome<T>(run: () => Promise<T>): Promise<{ ok: T } | { error: string }> {
  try {
    return { ok: await run() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

async function both(name: string, body: unknown) {
  const bytes = Buffer.from(JSON.stringify(body))
  const run = (validation: Validation) => transformRaw({ bytes, name, extractedAt: FETCHED_AT, validation })
  const [fast, zod] = await Promise.all([run('fast'), run('zod')])
  return { fast: fast.output, zod: zod.output }
}

describe('the fast path and zod give the same rows and rejects', () => {
  it.each(inputs.map(([name]) => name))('%s, in both payload shapes', async (name) => {
    const body = inputs.find(([n]) => n === name)![1]
    for (const shape of ['2026', 'legacy'] as const) {
      const { fast, zod } = await both(name, inShape(body, shape))
      expect(fast).toEqual(zod)
    }
  })

  it.each(inputs.map(([name]) => name))('%s, 60 mutated copies', async (name) => {
    const body = inputs.find(([n]) => n === name)![1]
    const random = prng(name.length * 7919)
    for (let i = 0; i < 60; i++) {
      const { value, mutations } = mutate(body, random, 1 + Math.floor(random() * 3))
      // A mutation that makes the body no Spotify response at all is an error (offline path): for both.
      const [fast, zod] = await Promise.all(
        (['fast', 'zod'] as const).map((validation) =>
          outcome(() =>
            transformRaw({
              bytes: Buffer.from(JSON.stringify(value)),
              name,
              extractedAt: FETCHED_AT,
              validation,
            }),
          ),
        ),
      )
      expect(fast, JSON.stringify(mutations)).toEqual(zod)
    }
  })
})
