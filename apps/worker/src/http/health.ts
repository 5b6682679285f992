/** @module GET /health: liveness and whether the configuration is valid (field names only, no values). */
import { Hono } from 'hono'
import {
  ConfigError,
  ExtractConfigSchema,
  HttpConfigSchema,
  PlanConfigSchema,
  readConfig,
} from '../config.ts'
import type { AppEnv } from './types.ts'

export const healthRoute = new Hono<AppEnv>().get('/health', (c) => {
  const invalid = new Set<string>()
  for (const schema of [HttpConfigSchema, PlanConfigSchema, ExtractConfigSchema]) {
    try {
      readConfig(schema, c.env)
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      for (const field of error.fields) invalid.add(field)
    }
  }
  return c.json({
    status: 'ok',
    service: 'spotify-lake-worker',
    config: invalid.size === 0 ? 'ok' : 'invalid',
    ...(invalid.size > 0 ? { invalidFields: [...invalid].sort() } : {}),
    time: new Date().toISOString(),
  })
})
