/** @module GET /runs and GET /runs/:id: run manifests (live from the coordinator, else from S3). */
import { runStub } from '@spotify-lake/run-coordinator'
import { lakeKeys, RunIdSchema, type RunManifest } from '@spotify-lake/schemas'
import { Hono } from 'hono'
import { z } from 'zod'
import { lakeStoreOf } from '../extract/consumer.ts'
import { issuesOf, jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

const ListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict()

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
