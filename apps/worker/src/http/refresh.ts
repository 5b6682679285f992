/** @module POST /refresh: start a run now (optionally other sources, another dt, or forced). */
import { DtSchema } from '@spotify-lake/schemas'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { type Sources, SourcesSchema } from '../config.ts'
import { log } from '../log.ts'
import { startRun } from '../run/start-run.ts'
import { issuesOf, jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

export const MAX_REFRESH_BODY_BYTES = 16 * 1024

/** Every field optional: `{}` runs the configured sources for today. */
export const RefreshBodySchema = z
  .object({
    /** Replaces the configured playlists for this run. */
    playlists: SourcesSchema.shape.playlists.unwrap().optional(),
    myPlaylists: z.boolean().optional(),
    dt: DtSchema.optional(),
    /** Start even if a run is active, and skip the unchanged-snapshot shortcut. */
    force: z.boolean().default(false),
  })
  .strict()

export const refreshRoute = new Hono<AppEnv>().post(
  '/refresh',
  bodyLimit({
    maxSize: MAX_REFRESH_BODY_BYTES,
    onError: (c) => jsonError(c, 413, `body larger than ${MAX_REFRESH_BODY_BYTES} bytes`),
  }),
  async (c) => {
    const text = await c.req.text()
    let json: unknown = {}
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
    }
    if (json === undefined) return jsonError(c, 400, 'body must be JSON')
    const parsed = RefreshBodySchema.safeParse(json, { reportInput: false })
    if (!parsed.success) return jsonError(c, 400, 'invalid body', { issues: issuesOf(parsed.error) })
    const body = parsed.data
    const plan = c.get('plan')

    const custom = body.playlists !== undefined || body.myPlaylists !== undefined
    const sources: Sources = custom
      ? { playlists: body.playlists ?? [], myPlaylists: body.myPlaylists ?? false }
      : plan.SOURCES
    if (sources.myPlaylists && !plan.SPOTIFY_REFRESH_TOKEN) {
      return jsonError(c, 400, 'myPlaylists needs a user refresh token, and SPOTIFY_REFRESH_TOKEN is not set')
    }
    if (!sources.myPlaylists && sources.playlists.length === 0) {
      return jsonError(c, 400, 'nothing to extract: no playlists and myPlaylists is false')
    }

    const result = await startRun({
      env: c.env,
      sources,
      trigger: 'http',
      force: body.force,
      ...(body.dt ? { dt: body.dt } : {}),
    })
    if (!result.started) {
      return jsonError(c, 409, 'a run is already active; send "force": true to start another', {
        active_run_id: result.activeRunId,
        since: result.since,
      })
    }
    log.info('run.started', { runId: result.runId, trigger: 'http', units: result.units.length })
    const statusUrl = new URL(`/runs/${result.runId}`, c.req.url).href
    c.header('Location', statusUrl)
    return c.json(
      {
        run_id: result.runId,
        dt: result.dt,
        status: 'running',
        status_url: statusUrl,
        units: result.units.length,
      },
      202,
    )
  },
)
