/** @module POST /refresh: start a run now (optionally other sources, another dt, or forced). */
import { DtSchema } from '@spotify-lake/schemas'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { type Sources, SourcesSchema, userSourceOn } from '../config.ts'
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
    /** Poll each connected account's plays (as the recently-played Cron Trigger does). */
    recentlyPlayed: z.boolean().optional(),
    /** Snapshot each connected account's top tracks and artists (three time ranges). */
    topItems: z.boolean().optional(),
    /** Snapshot each connected account's followed artists. */
    followedArtists: z.boolean().optional(),
    /** Check each connected account's saved tracks / albums. */
    savedTracks: z.boolean().optional(),
    savedAlbums: z.boolean().optional(),
    savedShows: z.boolean().optional(),
    savedEpisodes: z.boolean().optional(),
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

    const custom =
      body.playlists !== undefined ||
      body.myPlaylists !== undefined ||
      body.recentlyPlayed !== undefined ||
      body.topItems !== undefined ||
      body.followedArtists !== undefined ||
      body.savedTracks !== undefined ||
      body.savedAlbums !== undefined ||
      body.savedShows !== undefined ||
      body.savedEpisodes !== undefined
    const sources: Sources = custom
      ? {
          playlists: body.playlists ?? [],
          myPlaylists: body.myPlaylists ?? false,
          recentlyPlayed: body.recentlyPlayed ?? false,
          topItems: body.topItems ?? false,
          followedArtists: body.followedArtists ?? false,
          savedTracks: body.savedTracks ?? false,
          savedAlbums: body.savedAlbums ?? false,
          savedShows: body.savedShows ?? false,
          savedEpisodes: body.savedEpisodes ?? false,
        }
      : plan.SOURCES
    if (!userSourceOn(sources) && sources.playlists.length === 0) {
      return jsonError(
        c,
        400,
        'nothing to extract: no playlists, and myPlaylists, recentlyPlayed, topItems, followedArtists and the saved library (savedTracks, savedAlbums, savedShows, savedEpisodes) are false',
      )
    }

    const result = await startRun({
      env: c.env,
      sources,
      trigger: 'http',
      force: body.force,
      stallTimeoutMs: plan.RUN_STALL_TIMEOUT_SECONDS * 1000,
      ...(body.dt ? { dt: body.dt } : {}),
    })
    if (!result.started && result.busy) {
      // The body field and the CLI flag say the same thing: `"force": true` here, `--force` in `lake run`.
      return jsonError(c, 409, 'a run is already active', {
        active_run_id: result.activeRunId,
        since: result.since,
        last_activity_at: result.activityAt,
        hint: `wait for it to finish, cancel it (POST /runs/${result.activeRunId}/cancel), or send {"force": true} (lake run --local --force) to start another anyway`,
      })
    }
    if (!result.started && 'noAccount' in result) {
      return jsonError(c, 400, result.message, {
        action: `connect an account: open ${new URL('/connect', c.req.url).href} in a browser`,
      })
    }
    if (!result.started) {
      const { failure, transient } = result
      if (transient) c.header('Retry-After', '60')
      return jsonError(c, transient ? 503 : 500, `the run could not start (${failure.reason})`, {
        run_id: result.runId,
        dt: result.dt,
        status: 'failed',
        reason: failure.reason,
        message: failure.message,
        action: failure.action ?? (transient ? 'try again in a minute' : 'fix the cause, then try again'),
        status_url: new URL(`/runs/${result.runId}`, c.req.url).href,
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
