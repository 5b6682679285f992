/** @module GET /runs, GET /runs/:id (manifests, live from the coordinator, else from S3) and POST /runs/:id/cancel. */
import { CANCELLED_REASON, runStub } from '@spotify-lake/run-coordinator'
import { lakeKeys, RunIdSchema, type RunManifest } from '@spotify-lake/schemas'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { lakeStoreOf } from '../extract/consumer.ts'
import { issuesOf, jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

const ListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict()

/** Why the caller cancels (shown in the manifest); optional. */
const CancelBodySchema = z.object({ reason: z.string().trim().min(1).max(300).optional() }).strict()

export const runsRoutes = new Hono<AppEnv>()
  .get('/runs', async (c) => {
    const query = ListQuerySchema.safeParse(c.req.query(), { reportInput: false })
    if (!query.success) return jsonError(c, 400, 'invalid query', { issues: issuesOf(query.error) })
    const store = lakeStoreOf(c.get('plan'))
    // Run ids sort by start time: the newest are last in key order.
    const keys = (await store.listKeys(lakeKeys.manifestPrefix))
      .filter((key) => key.endsWith('.json'))
      .sort()
      .reverse()
      .slice(0, query.data.limit)
    const runs = (await Promise.all(keys.map((key) => store.getJson<RunManifest>(key)))).filter(
      (m) => m !== null,
    )
    return c.json({ runs })
  })
  .get('/runs/:id', async (c) => {
    const id = RunIdSchema.safeParse(c.req.param('id'), { reportInput: false })
    if (!id.success) return jsonError(c, 400, 'invalid run id', { issues: issuesOf(id.error) })
    const live = await runStub(c.env.RUN_COORDINATOR, id.data).manifest()
    const manifest =
      live ?? (await lakeStoreOf(c.get('plan')).getJson<RunManifest>(lakeKeys.manifest(id.data)))
    if (!manifest) return jsonError(c, 404, `no run ${id.data}`)
    return c.json(manifest)
  })
  /**
   * Closes an open run as `abandoned` (reason `cancelled`) and frees the lock; its open units are
   * not worked on any more, its raw objects stay (replayable). A closed run is returned as it is.
   */
  .post(
    '/runs/:id/cancel',
    bodyLimit({ maxSize: 4096, onError: (c) => jsonError(c, 413, 'body larger than 4096 bytes') }),
    async (c) => {
      const id = RunIdSchema.safeParse(c.req.param('id'), { reportInput: false })
      if (!id.success) return jsonError(c, 400, 'invalid run id', { issues: issuesOf(id.error) })
      const text = await c.req.text()
      let json: unknown = {}
      try {
        json = text.trim() === '' ? {} : JSON.parse(text)
      } catch {
        return jsonError(c, 400, 'body must be JSON')
      }
      const body = CancelBodySchema.safeParse(json, { reportInput: false })
      if (!body.success) return jsonError(c, 400, 'invalid body', { issues: issuesOf(body.error) })
      const closed = await runStub(c.env.RUN_COORDINATOR, id.data).close({
        status: 'abandoned',
        failure: {
          reason: CANCELLED_REASON,
          message: `cancelled through the API${body.data.reason ? `: ${body.data.reason}` : ''}`,
          action: 'start a new run when you want one; `lake replay` rebuilds tables from its raw objects',
        },
      })
      if (!closed) return jsonError(c, 404, `no open or live run ${id.data}`)
      return c.json(closed)
    },
  )
