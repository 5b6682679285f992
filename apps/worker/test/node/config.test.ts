/** @module Config validation: defaults, both forms of SOURCES, errors that name fields and never show values. */
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  checkSources,
  ExtractConfigSchema,
  HttpConfigSchema,
  PlanConfigSchema,
  readConfig,
} from '../../src/config.ts'

const base = {
  S3_ENDPOINT: 'http://127.0.0.1:4568',
  S3_BUCKET: 'lake',
  S3_ACCESS_KEY_ID: 'key-id',
  S3_SECRET_ACCESS_KEY: 'very-secret-s3-key',
  SPOTIFY_CLIENT_ID: 'cid',
  SPOTIFY_CLIENT_SECRET: 'very-secret-client',
  SPOTIFY_REFRESH_TOKEN: '',
  TOKEN_ENCRYPTION_KEY: btoa('k'.repeat(32)),
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('readConfig', () => {
  it('applies defaults and treats an empty refresh token as none', () => {
    const config = readConfig(ExtractConfigSchema, base)
    expect(config).toMatchObject({
      S3_REGION: 'us-east-1',
      SPOTIFY_API_BASE_URL: 'https://api.spotify.com/v1',
      SPOTIFY_API_MODE: 'auto',
      CALL_BUDGET: 20,
      CLIENT_CONCURRENCY: 2,
      SPOTIFY_MAX_WAIT_SECONDS: 30,
    })
    expect(config.SPOTIFY_REFRESH_TOKEN).toBeUndefined()
  })

  it('accepts SOURCES as a JSON value (wrangler vars) or a JSON string (.dev.vars, dashboard)', () => {
    const sources = {
      playlists: ['37i9dQZF1DXcBWIGoYBM5M'],
      myPlaylists: false,
      recentlyPlayed: false,
      topItems: true,
      followedArtists: false,
      savedTracks: true,
      savedAlbums: false,
      savedShows: false,
      savedEpisodes: true,
    }
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: sources }).SOURCES).toEqual(sources)
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: JSON.stringify(sources) }).SOURCES).toEqual(
      sources,
    )
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: {} }).SOURCES).toEqual({
      playlists: [],
      myPlaylists: false,
      recentlyPlayed: false,
      topItems: false,
      followedArtists: false,
      savedTracks: false,
      savedAlbums: false,
      savedShows: false,
      savedEpisodes: false,
    })
  })

  it('names every bad field and what is wrong, and never echoes a value', () => {
    const error = errorOf(() =>
      readConfig(ExtractConfigSchema, {
        ...base,
        S3_ENDPOINT: 'ftp://very-secret-host',
        SPOTIFY_CLIENT_SECRET: '',
        SPOTIFY_API_MODE: 'turbo-secret-mode',
        CALL_BUDGET: '1',
        SPOTIFY_MAX_WAIT_SECONDS: '3600',
      }),
    )
    expect(error.fields).toEqual([
      'S3_ENDPOINT',
      'SPOTIFY_CLIENT_SECRET',
      'SPOTIFY_API_MODE',
      'CALL_BUDGET',
      'SPOTIFY_MAX_WAIT_SECONDS',
    ])
    expect(error.message).toMatch(/S3_ENDPOINT: must be an http\(s\) URL/)
    expect(error.message).toMatch(/SPOTIFY_CLIENT_SECRET: required \(a secret\)/)
    expect(error.message).not.toMatch(/very-secret|turbo-secret/)
  })

  it('reads the catalog ledger vars with defaults, and refuses bad ones saying what they must be', () => {
    expect(readConfig(ExtractConfigSchema, base)).toMatchObject({
      CATALOG_CALL_BUDGET: 1000,
      CATALOG_REFRESH_DAYS: 30,
    })
    expect(
      readConfig(ExtractConfigSchema, { ...base, CATALOG_CALL_BUDGET: '250', CATALOG_REFRESH_DAYS: '0.5' }),
    ).toMatchObject({ CATALOG_CALL_BUDGET: 250, CATALOG_REFRESH_DAYS: 0.5 })
    const error = errorOf(() =>
      readConfig(ExtractConfigSchema, { ...base, CATALOG_CALL_BUDGET: '2.5', CATALOG_REFRESH_DAYS: '0' }),
    )
    expect(error.fields).toEqual(['CATALOG_CALL_BUDGET', 'CATALOG_REFRESH_DAYS'])
    expect(error.message).toMatch(/CATALOG_CALL_BUDGET: must be a whole number of Spotify calls per run/)
    expect(error.message).toMatch(/CATALOG_REFRESH_DAYS: must be more than 0 days/)
    expect(
      errorOf(() => readConfig(ExtractConfigSchema, { ...base, CATALOG_REFRESH_DAYS: 'monthly' })).message,
    ).toMatch(/CATALOG_REFRESH_DAYS: must be a number of days/)
    expect(
      errorOf(() => readConfig(ExtractConfigSchema, { ...base, CATALOG_CALL_BUDGET: '0' })).message,
    ).toMatch(/CATALOG_CALL_BUDGET: must be at least 1 call per run/)
  })

  it('explains SOURCES problems down to the entry', () => {
    expect(errorOf(() => readConfig(PlanConfigSchema, { ...base, SOURCES: '{not json' })).fields).toEqual([
      'SOURCES',
    ])
    expect(
      errorOf(() => readConfig(PlanConfigSchema, { ...base, SOURCES: { playlist: [] } })).message,
    ).toMatch(/SOURCES: Unrecognized key/)
    expect(
      errorOf(() => readConfig(PlanConfigSchema, { ...base, SOURCES: { playlists: ['a/b'] } })).message,
    ).toMatch(/SOURCES\.playlists\.0: not a Spotify id/)
    // Accounts come from the token broker: myPlaylists needs no secret in the config.
    expect(
      readConfig(PlanConfigSchema, { ...base, SOURCES: { myPlaylists: true } }).SOURCES.myPlaylists,
    ).toBe(true)
  })

  it('wants a 32-byte token key, names optional vars only when set wrong, never echoes a value', () => {
    const config = readConfig(ExtractConfigSchema, { ...base, SPOTIFY_CONSENTED_AT: '', PUBLIC_URL: '' })
    expect(config.PUBLIC_URL).toBeUndefined()
    expect(config.SPOTIFY_CONSENTED_AT).toBeUndefined()
    expect(config.SPOTIFY_QUOTA_BLOCK_SECONDS).toBe(3600)
    const error = errorOf(() =>
      readConfig(ExtractConfigSchema, {
        ...base,
        TOKEN_ENCRYPTION_KEY: btoa('a-secret-too-short'),
        SPOTIFY_CONSENTED_AT: 'last spring',
        PUBLIC_URL: 'lake.example',
      }),
    )
    expect(error.fields).toEqual(['SPOTIFY_CONSENTED_AT', 'TOKEN_ENCRYPTION_KEY', 'PUBLIC_URL'])
    expect(error.message).toMatch(/TOKEN_ENCRYPTION_KEY: must be 32 random bytes in base64/)
    expect(error.message).not.toContain(btoa('a-secret-too-short'))
    expect(
      errorOf(() => readConfig(ExtractConfigSchema, { ...base, TOKEN_ENCRYPTION_KEY: undefined })).fields,
    ).toEqual(['TOKEN_ENCRYPTION_KEY'])
    expect(
      readConfig(ExtractConfigSchema, { ...base, SPOTIFY_CONSENTED_AT: '2026-05-01' }).SPOTIFY_CONSENTED_AT,
    ).toBe('2026-05-01')
  })

  it('wants a real API token', () => {
    const error = errorOf(() => readConfig(HttpConfigSchema, { REFRESH_API_TOKEN: 'short-secret' }))
    expect(error.message).toBe(
      'invalid worker configuration: REFRESH_API_TOKEN: must be at least 16 characters',
    )
    expect(errorOf(() => readConfig(HttpConfigSchema, {})).fields).toEqual(['REFRESH_API_TOKEN'])
  })
})

describe('checkSources (the deploy-time check of SOURCES)', () => {
  it('accepts playlists, or myPlaylists with a refresh token, and returns what to deploy', () => {
    expect(
      checkSources({ sources: '{"playlists":["abc"],"myPlaylists":false}', hasRefreshToken: true }),
    ).toEqual({
      ok: true,
      sources: {
        playlists: ['abc'],
        myPlaylists: false,
        recentlyPlayed: false,
        topItems: false,
        followedArtists: false,
        savedTracks: false,
        savedAlbums: false,
        savedShows: false,
        savedEpisodes: false,
      },
      warnings: [],
    })
    expect(checkSources({ sources: { myPlaylists: true }, hasRefreshToken: true })).toMatchObject({
      ok: true,
      sources: { playlists: [], myPlaylists: true },
    })
    expect(checkSources({ sources: { recentlyPlayed: true }, hasRefreshToken: true })).toMatchObject({
      ok: true,
      sources: { playlists: [], myPlaylists: false, recentlyPlayed: true },
    })
    expect(checkSources({ sources: { followedArtists: true }, hasRefreshToken: true })).toMatchObject({
      ok: true,
      sources: { topItems: false, followedArtists: true },
    })
    expect(checkSources({ sources: { topItems: true }, hasRefreshToken: true })).toMatchObject({ ok: true })
    expect(checkSources({ sources: { savedAlbums: true }, hasRefreshToken: true })).toMatchObject({
      ok: true,
      sources: { playlists: [], savedTracks: false, savedAlbums: true },
    })
  })

  it('accepts myPlaylists without a refresh token, and says to connect an account after the deploy', () => {
    const result = checkSources({ sources: { playlists: [], myPlaylists: true }, hasRefreshToken: false })
    expect(result).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/connect an account at <WORKER_URL>\/connect after this deploy/)],
    })
  })

  it('refuses what is not JSON, off the schema, or names nothing', () => {
    expect(checkSources({ sources: '{playlists:', hasRefreshToken: true })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^SOURCES is not JSON/)],
    })
    expect(checkSources({ sources: { playlists: ['no spaces!'] }, hasRefreshToken: true })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^SOURCES\.playlists\.0: not a Spotify id/)],
    })
    expect(checkSources({ sources: { playlist: ['abc'] }, hasRefreshToken: true }).ok).toBe(false)
    expect(checkSources({ sources: {}, hasRefreshToken: true })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/names nothing to extract/)],
    })
  })

  it('warns that playlist items need a user token in development mode', () => {
    const result = checkSources({ sources: { playlists: ['abc'] }, hasRefreshToken: false })
    expect(result).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/development-mode app gets 403/)],
    })
  })
})

describe('scripts/check-sources.ts (what the deploy workflow runs)', () => {
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-sources.ts')
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', script], {
      // Only PATH and what the test sets: the worker's Env types widen ProcessEnv, hence the cast.
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8' as const,
    })

  it('checks the default of wrangler.jsonc when SOURCES is unset, and warns with an annotation', () => {
    const unseeded = run({})
    expect(unseeded.status).toBe(0)
    expect(unseeded.stderr).toMatch(
      /::warning title=SOURCES::SOURCES\.myPlaylists reads the playlists of connected accounts.*the default in apps\/worker\/wrangler\.jsonc/,
    )
    const fine = run({ SPOTIFY_REFRESH_TOKEN: 'x' })
    expect(fine.status).toBe(0)
    // A new install's default: the user's playlists plus every user-scoped source (plays, top lists, follows, saved library).
    expect(JSON.parse(fine.stdout)).toEqual({
      playlists: [],
      myPlaylists: true,
      recentlyPlayed: true,
      topItems: true,
      followedArtists: true,
      savedTracks: true,
      savedAlbums: true,
      savedShows: true,
      savedEpisodes: true,
    })
    expect(fine.stdout + fine.stderr).not.toContain('SPOTIFY_REFRESH_TOKEN=x')
  })

  it('fails the deploy with an error annotation when SOURCES names nothing', () => {
    const denied = run({ SOURCES: '{}' })
    expect(denied.status).toBe(1)
    expect(denied.stderr).toMatch(
      /::error title=SOURCES::SOURCES names nothing to extract.*the environment variable SOURCES/,
    )
    expect(denied.stdout).toBe('')
  })

  it('uses the environment variable SOURCES when set', () => {
    const result = run({ SOURCES: '{"playlists":["abc"]}' })
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      playlists: ['abc'],
      myPlaylists: false,
      recentlyPlayed: false,
      topItems: false,
      followedArtists: false,
      savedTracks: false,
      savedAlbums: false,
      savedShows: false,
      savedEpisodes: false,
    })
    expect(result.stderr).toMatch(/::warning title=SOURCES::/)
  })
})
