/** @module Config validation: defaults, both forms of SOURCES, errors that name fields and never show values. */
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
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
      PAGE_BUDGET: 20,
      CLIENT_CONCURRENCY: 2,
      SPOTIFY_MAX_WAIT_SECONDS: 30,
    })
    expect(config.SPOTIFY_REFRESH_TOKEN).toBeUndefined()
  })

  it('accepts SOURCES as a JSON value (wrangler vars) or a JSON string (.dev.vars, dashboard)', () => {
    const sources = { playlists: ['37i9dQZF1DXcBWIGoYBM5M'], myPlaylists: false }
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: sources }).SOURCES).toEqual(sources)
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: JSON.stringify(sources) }).SOURCES).toEqual(
      sources,
    )
    expect(readConfig(PlanConfigSchema, { ...base, SOURCES: {} }).SOURCES).toEqual({
      playlists: [],
      myPlaylists: false,
    })
  })

  it('names every bad field and what is wrong, and never echoes a value', () => {
    const error = errorOf(() =>
      readConfig(ExtractConfigSchema, {
        ...base,
        S3_ENDPOINT: 'ftp://very-secret-host',
        SPOTIFY_CLIENT_SECRET: '',
        SPOTIFY_API_MODE: 'turbo-secret-mode',
        PAGE_BUDGET: '1',
        SPOTIFY_MAX_WAIT_SECONDS: '3600',
      }),
    )
    expect(error.fields).toEqual([
      'S3_ENDPOINT',
      'SPOTIFY_CLIENT_SECRET',
      'SPOTIFY_API_MODE',
      'PAGE_BUDGET',
      'SPOTIFY_MAX_WAIT_SECONDS',
    ])
    expect(error.message).toMatch(/S3_ENDPOINT: must be an http\(s\) URL/)
    expect(error.message).toMatch(/SPOTIFY_CLIENT_SECRET: required \(a secret\)/)
    expect(error.message).not.toMatch(/very-secret|turbo-secret/)
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
