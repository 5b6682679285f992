/** @module The Worker's configuration: env vars and secrets validated with zod at the start of every handler. */
import { DEFAULT_LIBRARY_FULL_LISTING_DAYS, SpotifyIdSchema } from '@spotify-lake/schemas'
import { z } from 'zod'

/** What a run extracts. Unknown keys are errors: a typo must not silently extract nothing. */
export const SourcesSchema = z
  .object({
    /** Playlist ids extracted on every run. */
    playlists: z.array(SpotifyIdSchema).max(1000).default([]),
    /** Every playlist of the user who granted the refresh token (`GET /me/playlists`). */
    myPlaylists: z.boolean().default(false),
    /**
     * Each connected account's plays (`GET /me/player/recently-played`, table `plays`), polled on their
     * own Cron Trigger (`RECENTLY_PLAYED_CRON`, hourly): Spotify keeps only the last 50. The daily run
     * leaves them out; `POST /refresh` with these sources polls them too.
     */
    recentlyPlayed: z.boolean().default(false),
    /**
     * Each connected account's top tracks and top artists over the three time ranges (`GET
     * /me/top/{tracks,artists}`, tables `top_tracks` and `top_artists`), a snapshot on every daily run.
     */
    topItems: z.boolean().default(false),
    /** Each connected account's followed artists (`GET /me/following`, table `followed_artists`), daily. */
    followedArtists: z.boolean().default(false),
    /**
     * Each connected account's saved tracks (`GET /me/tracks`, table `saved_tracks`), on the daily run:
     * pages only until a track already held; lists everything every LIBRARY_FULL_LISTING_DAYS to find removals.
     */
    savedTracks: z.boolean().default(false),
    /** Each connected account's saved albums (`GET /me/albums`, table `saved_albums`), as `savedTracks`. */
    savedAlbums: z.boolean().default(false),
    /** Each connected account's saved podcast shows (`GET /me/shows`, table `saved_shows`), as `savedTracks`. */
    savedShows: z.boolean().default(false),
    /** Each connected account's saved episodes (`GET /me/episodes`, table `saved_episodes`), as `savedTracks`. */
    savedEpisodes: z.boolean().default(false),
  })
  .strict()
export type Sources = z.infer<typeof SourcesSchema>

/** What the daily Cron Trigger extracts: everything configured but the plays, which have their own. */
export function dailySources(sources: Sources): Sources {
  return { ...sources, recentlyPlayed: false }
}

/** What the recently-played Cron Trigger extracts: the plays alone (nothing when they are not configured). */
export function recentlyPlayedSources(sources: Sources): Sources {
  return {
    playlists: [],
    myPlaylists: false,
    recentlyPlayed: sources.recentlyPlayed,
    topItems: false,
    followedArtists: false,
    savedTracks: false,
    savedAlbums: false,
    savedShows: false,
    savedEpisodes: false,
  }
}

/** Whether any source that reads the connected accounts' own data is on (they need an account). */
export function userSourceOn(
  sources: { readonly [K in Exclude<keyof Sources, 'playlists'>]?: boolean | undefined },
): boolean {
  return Boolean(
    sources.myPlaylists ||
      sources.recentlyPlayed ||
      sources.topItems ||
      sources.followedArtists ||
      sources.savedTracks ||
      sources.savedAlbums ||
      sources.savedShows ||
      sources.savedEpisodes,
  )
}

/** wrangler vars arrive as JSON values, `.dev.vars` and dashboard vars as strings: accept both. */
const jsonValue = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value
    try {
      return JSON.parse(value)
    } catch {
      return value
    }
  }, schema)

const secret = z.string({ error: 'required (a secret)' }).min(1, 'required (a secret)')
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
/** An optional var: wrangler vars cannot be absent, so an empty string means "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())

/** 32 random bytes in base64 (`openssl rand -base64 32`): the AES-256 key that seals stored tokens. */
const tokenKey = z
  .string({ error: 'required (a secret): generate one with `openssl rand -base64 32`' })
  .refine((value) => base64Bytes(value) === 32, {
    message: 'must be 32 random bytes in base64: generate one with `openssl rand -base64 32`',
  })

function base64Bytes(value: string): number {
  try {
    const normal = value.trim().replaceAll('-', '+').replaceAll('_', '/')
    return atob(normal.padEnd(Math.ceil(normal.length / 4) * 4, '=')).length
  } catch {
    return -1
  }
}

const S3ConfigSchema = z.object({
  S3_ENDPOINT: url,
  S3_BUCKET: z.string().min(3, 'required (a bucket name)'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: secret,
  S3_SECRET_ACCESS_KEY: secret,
})

const SpotifyConfigSchema = z.object({
  SPOTIFY_CLIENT_ID: secret,
  SPOTIFY_CLIENT_SECRET: secret,
  /**
   * Optional: seeds one account, once per value (the token broker keeps it, and its rotated successors,
   * from then on). Empty: accounts come from `GET /connect` only.
   */
  SPOTIFY_REFRESH_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** When the user gave the consent behind SPOTIFY_REFRESH_TOKEN (ISO date); unset: when it was seeded. */
  SPOTIFY_CONSENTED_AT: optional(z.iso.datetime({ offset: true }).or(z.iso.date())),
  /** Seals every token the broker stores; a key rotation keeps the old one as _PREVIOUS for a while. */
  TOKEN_ENCRYPTION_KEY: tokenKey,
  TOKEN_ENCRYPTION_KEY_PREVIOUS: optional(tokenKey),
  /** The Worker's own HTTPS address, for the consent redirect and the "reconnect" hints; unset: the request's. */
  PUBLIC_URL: optional(url),
  SPOTIFY_API_BASE_URL: url.default('https://api.spotify.com/v1'),
  SPOTIFY_ACCOUNTS_BASE_URL: url.default('https://accounts.spotify.com'),
  SPOTIFY_API_MODE: z.enum(['auto', 'development', 'extended']).default('auto'),
  CALL_BUDGET: z.coerce.number().int().min(2).max(200).default(20),
  /**
   * Catalog calls (albums, artists, tracks) one run may make: one per id in development mode, one per
   * batch in extended mode. Due ids past it wait for the next run, which plans them first.
   */
  CATALOG_CALL_BUDGET: z.coerce
    .number({ error: 'must be a whole number of Spotify calls per run, e.g. 1000' })
    .int('must be a whole number of Spotify calls per run, e.g. 1000')
    .min(1, 'must be at least 1 call per run')
    .max(1_000_000, 'must be at most 1000000 calls per run')
    .default(1000),
  /** A catalog entity fetched this many days ago or more is fetched again (fractions allowed). */
  CATALOG_REFRESH_DAYS: z.coerce
    .number({ error: 'must be a number of days, e.g. 30' })
    .positive('must be more than 0 days (a catalog entity is fresh for that long after its fetch)')
    .max(3650, 'must be at most 3650 days')
    .default(30),
  CLIENT_CONCURRENCY: z.coerce.number().int().min(1).max(10).default(2),
  /** Longest 429 Retry-After a consumer sleeps through; a longer one defers the message instead. */
  SPOTIFY_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  /** A quota 429 (`reason: QUOTA_EXCEEDED`) blocks the app at least this long. */
  SPOTIFY_QUOTA_BLOCK_SECONDS: z.coerce.number().int().min(60).max(43_200).default(3600),
  /**
   * The saved-library sources list the whole library (which finds removals, `removed_at`) when the last
   * full listing is this many days old; in between, a check pages only until an item already held.
   */
  LIBRARY_FULL_LISTING_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(DEFAULT_LIBRARY_FULL_LISTING_DAYS),
})

const SourcesConfigSchema = z.object({
  SOURCES: jsonValue(SourcesSchema),
  /** An open run with no report from any consumer for this long is closed as `abandoned`. */
  RUN_STALL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
  /**
   * Which of the Worker's Cron Triggers (`triggers.crons` in wrangler.jsonc) polls the plays; every other
   * one starts the daily run. Change both together to poll more or less often.
   */
  RECENTLY_PLAYED_CRON: z.string().trim().min(1).default('41 * * * *'),
})

/** What the extract consumer needs. */
export const ExtractConfigSchema = S3ConfigSchema.extend(SpotifyConfigSchema.shape)
export type ExtractConfig = z.infer<typeof ExtractConfigSchema>

/**
 * What planning a run needs (cron and POST /refresh also check `ExtractConfigSchema` first: a run its
 * consumers cannot do is refused before it starts). Accounts for `myPlaylists` come from the token
 * broker (connected on the Worker, or seeded from SPOTIFY_REFRESH_TOKEN), so they are no config.
 */
export const PlanConfigSchema = S3ConfigSchema.extend(SourcesConfigSchema.shape)
export type PlanConfig = z.infer<typeof PlanConfigSchema>

/** What the HTTP API needs on top of planning. */
export const HttpConfigSchema = z.object({
  REFRESH_API_TOKEN: z.string({ error: 'required (a secret)' }).min(16, 'must be at least 16 characters'),
  /**
   * Cloudflare Access in front of the Worker (both or neither): the team domain
   * (`https://<team>.cloudflareaccess.com`) and the application's AUD tag. Then a valid Access
   * assertion (`Cf-Access-Jwt-Assertion`) also lets the operator start a consent at /connect.
   */
  ACCESS_TEAM_DOMAIN: optional(url),
  ACCESS_AUD: optional(z.string().min(16, 'the AUD tag of the Access application')),
})
export type HttpConfig = z.infer<typeof HttpConfigSchema>

export type SourcesCheck =
  | { ok: true; sources: Sources; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] }

/**
 * Deploy-time check of a SOURCES value (JSON text or an object) against what starting a run needs, so a
 * deploy fails with the reason instead of shipping a Worker whose `POST /refresh` answers 500 and whose cron
 * throws. Errors and warnings name fields and say what to do; they never hold a secret (only whether
 * SPOTIFY_REFRESH_TOKEN is set is known here).
 *
 * @returns the parsed sources, or the errors; warnings for what is valid but needs an account connected
 *   after the deploy (`/connect`), or is refused by Spotify in development mode (items without a user token).
 */
export function checkSources({
  sources,
  hasRefreshToken,
}: {
  sources: unknown
  hasRefreshToken: boolean
}): SourcesCheck {
  if (typeof sources === 'string') {
    try {
      sources = JSON.parse(sources)
    } catch {
      return {
        ok: false,
        errors: ['SOURCES is not JSON, e.g. {"playlists":["<id>"],"myPlaylists":false}'],
        warnings: [],
      }
    }
  }
  const parsed = SourcesSchema.safeParse(sources, { reportInput: false })
  if (!parsed.success) {
    const errors = parsed.error.issues.map(
      (i) => `SOURCES${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`,
    )
    return { ok: false, errors, warnings: [] }
  }
  const { playlists, myPlaylists } = parsed.data
  const errors: string[] = []
  const warnings: string[] = []
  if (!userSourceOn(parsed.data) && playlists.length === 0)
    errors.push(
      'SOURCES names nothing to extract: list playlist ids or set "myPlaylists", "recentlyPlayed", "topItems", "followedArtists", "savedTracks", "savedAlbums", "savedShows" or "savedEpisodes": true',
    )
  // Accounts connect on the deployed Worker (`<WORKER_URL>/connect`); SPOTIFY_REFRESH_TOKEN only seeds one.
  if (myPlaylists && !hasRefreshToken) {
    warnings.push(
      'SOURCES.myPlaylists reads the playlists of connected accounts, and no SPOTIFY_REFRESH_TOKEN seeds one: connect an account at <WORKER_URL>/connect after this deploy (until then runs answer "no account connected")',
    )
  }
  if (!hasRefreshToken && playlists.length > 0) {
    warnings.push(
      'no SPOTIFY_REFRESH_TOKEN: until an account is connected at <WORKER_URL>/connect, only an extended-quota app can read the items of the playlists in SOURCES; a development-mode app gets 403 for them',
    )
  }
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, sources: parsed.data, warnings }
}

/** Invalid configuration. The message names the fields and what is wrong, never their values. */
export class ConfigError extends Error {
  readonly fields: string[]
  constructor(issues: readonly z.core.$ZodIssue[]) {
    const fields = [...new Set(issues.map((i) => i.path.join('.') || '(root)'))]
    super(
      `invalid worker configuration: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
    this.name = 'ConfigError'
    this.fields = fields
  }
}

/** Parses `env` with `schema`; throws a `ConfigError` naming each bad field. */
export function readConfig<S extends z.ZodType>(schema: S, env: unknown): z.output<S> {
  // reportInput off: zod must never copy a secret's value into an issue.
  const result = schema.safeParse(env, { reportInput: false })
  if (!result.success) throw new ConfigError(result.error.issues)
  return result.data
}
