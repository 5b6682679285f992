/** @module The hono app: GET /health, POST /refresh, POST /imports, GET /runs, GET /runs/:id, the accounts, the consent pages and the dashboard. */

import { DASHBOARD_PATHS } from '@spotify-lake/dashboard'
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { z } from 'zod'
import {
  ConfigError,
  ExtractConfigSchema,
  HttpConfigSchema,
  PlanConfigSchema,
  readConfig,
} from '../config.ts'
import { dashboardApp } from '../dashboard/routes.ts'
import { log } from '../log.ts'
import { accountsRoutes } from './accounts.ts'
import { requireBearer } from './auth.ts'
import { connectRoutes } from './connect.ts'
import { jsonError } from './errors.ts'
import { healthRoute } from './health.ts'
import { importsRoute } from './imports.ts'
import { refreshRoute } from './refresh.ts'
import { runsRoutes } from './runs.ts'
import type { AppEnv } from './types.ts'

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.route('/', healthRoute)

  // Config is validated per request, before auth: a misconfigured Worker says which fields, never values.
  // A run is refused before it starts when its consumers could not do it (e.g. an empty client secret).
  app.use('/refresh', loadConfig({ extract: true }), requireBearer())
  app.use('/imports', loadConfig(), requireBearer())
  app.use('/runs', loadConfig(), requireBearer())
  app.use('/runs/*', loadConfig(), requireBearer())
  app.use('/accounts', loadConfig({ extract: true }), requireBearer())
  app.use('/accounts/*', loadConfig({ extract: true }), requireBearer())
  // The consent pages authenticate the operator themselves (a form for browsers); the callback is
  // Spotify's redirect, bound to the browser that started it.
  app.use('/connect', loadConfig({ extract: true }))
  app.use('/callback', loadConfig({ extract: true }))
  app.route('/', refreshRoute)
  app.route('/', importsRoute)
  app.route('/', runsRoutes)
  app.route('/', accountsRoutes)
  app.route('/', connectRoutes)
  // The dashboard: its page and API need a session (or the operator's Bearer token / Access assertion).
  for (const path of DASHBOARD_PATHS) app.use(path, loadConfig())
  app.route('/', dashboardApp() as unknown as Hono<AppEnv>)

  app.notFound((c) => jsonError(c, 404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`))
  app.onError((error, c) => {
    log.error('http.error', {
      path: new URL(c.req.url).pathname,
      error: `${error.name}: ${error.message}`.slice(0, 500),
    })
    return jsonError(c, 500, 'internal error')
  })
  return app
}

function loadConfig({ extract = false }: { extract?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const fields = new Set<string>()
    const messages: string[] = []
    const read = <S extends z.ZodType>(schema: S): z.output<S> | undefined => {
      try {
        return readConfig(schema, c.env)
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        for (const field of error.fields) fields.add(field)
        messages.push(error.message)
        return undefined
      }
    }
    const http = read(HttpConfigSchema)
    const plan = read(PlanConfigSchema)
    const extracting = extract ? read(ExtractConfigSchema) : undefined
    if (fields.size > 0 || !http || !plan) {
      log.error('config.invalid', { error: messages.join(' | ') })
      return jsonError(c, 500, 'worker misconfigured', {
        fields: [...fields].sort(),
        reason: 'config_invalid',
        action: 'set the named vars and secrets (wrangler secret put NAME); GET /health lists them',
      })
    }
    c.set('http', http)
    c.set('plan', plan)
    if (extracting) c.set('extract', extracting)
    await next()
  })
}
