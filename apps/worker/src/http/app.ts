/** @module The hono app: GET /health, POST /refresh, GET /runs, GET /runs/:id. */
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ConfigError, HttpConfigSchema, PlanConfigSchema, readConfig } from '../config.ts'
import { log } from '../log.ts'
import { requireBearer } from './auth.ts'
import { jsonError } from './errors.ts'
import { healthRoute } from './health.ts'
import { refreshRoute } from './refresh.ts'
import { runsRoutes } from './runs.ts'
import type { AppEnv } from './types.ts'

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.route('/', healthRoute)

  // Config is validated per request, before auth: a misconfigured Worker says which fields, never values.
  app.use('/refresh', loadConfig(), requireBearer())
  app.use('/runs', loadConfig(), requireBearer())
  app.use('/runs/*', loadConfig(), requireBearer())
  app.route('/', refreshRoute)
  app.route('/', runsRoutes)

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

function loadConfig() {
  return createMiddleware<AppEnv>(async (c, next) => {
    let failure: ConfigError | undefined
    try {
      c.set('http', readConfig(HttpConfigSchema, c.env))
      c.set('plan', readConfig(PlanConfigSchema, c.env))
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      failure = error
    }
    if (failure) {
      log.error('config.invalid', { error: failure.message })
      return jsonError(c, 500, 'worker misconfigured', { fields: failure.fields })
    }
    await next()
  })
}
