/**
 * @module The dashboard on the Worker: the page from static assets, and `GET /api/insights/:name` run on
 * Athena (its HTTP API, signed by aws4fetch as the Worker's IAM user) with each answer kept in S3 per
 * latest run, so a page view costs no query until a new run lands. The routes and the session are
 * packages/dashboard's, the same the CLI serves over DuckDB.
 */
import { type DashboardRoutesOptions, dashboardRoutes, type InsightResponse } from '@spotify-lake/dashboard'
import { runOnAthena } from '@spotify-lake/dashboard/athena'
import type { LakeStore } from '@spotify-lake/lake-store'
import { lakeKeys } from '@spotify-lake/schemas'
import { AwsClient } from 'aws4fetch'
import type { Context } from 'hono'
import { z } from 'zod'
import { ConfigError, readConfig } from '../config.ts'
import { lakeStoreOf } from '../extract/consumer.ts'
import { operatorOf } from '../http/auth.ts'
import type { AppEnv } from '../http/types.ts'
import { log } from '../log.ts'
import { INSIGHTS } from './insights.generated.ts'

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())

export const DashboardConfigSchema = z.object({
  ATHENA_WORKGROUP: z.string().min(1, 'required (the workgroup infra created: output athena_workgroup)'),
  GLUE_DATABASE: z.string().min(1, 'required (the Glue database infra created: output glue_database)'),
  ATHENA_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
})

/** How far back the latest run is looked for (days of `run_tables` partitions, newest first). */
const LATEST_RUN_LOOKBACK_DAYS = 31

/**
 * The lake's latest run: the newest `tables/run_tables/dt=<day>/<run_id>.parquet` of the newest day that
 * has one (a run writes it at finalize, so its tables are in place). One LIST per day looked at; `none`
 * when no run finalized in the look-back.
 */
export async function latestRun(store: LakeStore, now = new Date()): Promise<string> {
  for (let back = 0; back <= LATEST_RUN_LOOKBACK_DAYS; back++) {
    const dt = new Date(now.getTime() - back * 86_400_000).toISOString().slice(0, 10)
    const keys = await store.listKeys(`${lakeKeys.tablePrefix('run_tables')}dt=${dt}/`)
    const newest = keys
      .filter((k) => k.endsWith('.parquet'))
      .sort()
      .at(-1)
    if (newest) return `${dt}/${newest.slice(newest.lastIndexOf('/') + 1, -'.parquet'.length)}`
  }
  return 'none'
}

/** Runs `name` on Athena, or answers it from S3 when this latest run already did. */
async function runInsight(name: string, c: Context<AppEnv>): Promise<InsightResponse | undefined> {
  const insight = INSIGHTS.find((i) => i.name === name)
  if (!insight) return undefined
  const s3 = c.get('plan')
  const config = readConfig(DashboardConfigSchema, c.env)
  const store = lakeStoreOf(s3)
  const run = await latestRun(store)
  const key = lakeKeys.dashboardCache({ run, insight: name })
  const cached = await store.getJson<InsightResponse>(key)
  if (cached) return cached
  const aws = new AwsClient({
    accessKeyId: s3.S3_ACCESS_KEY_ID,
    secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
    service: 'athena',
    region: s3.S3_REGION,
    retries: 1,
  })
  const result = await runOnAthena({
    aws,
    endpoint: config.ATHENA_ENDPOINT ?? `https://athena.${s3.S3_REGION}.amazonaws.com`,
    workgroup: config.ATHENA_WORKGROUP,
    database: config.GLUE_DATABASE,
    sql: insight.sql,
    clientRequestToken: `${crypto.randomUUID()}-${crypto.randomUUID()}`,
  })
  const answer: InsightResponse = {
    insight: name,
    ...result,
    source: run,
    generatedAt: new Date().toISOString(),
  }
  await store.putJson(key, answer)
  log.info('dashboard.insight', { insight: name, run, rows: result.rows.length })
  return answer
}

export function dashboardApp() {
  const options: DashboardRoutesOptions = {
    runInsight: (name, c) => runInsight(name, c as Context<AppEnv>),
    listInsights: async () => INSIGHTS.map(({ name, description }) => ({ name, description })),
    servePage: (c) => (c as Context<AppEnv>).env.ASSETS.fetch(new Request(new URL('/', c.req.url))),
    apiToken: (c) => (c as Context<AppEnv>).get('http').REFRESH_API_TOKEN,
    // A Bearer token or a Cloudflare Access assertion proves the operator as on every other route.
    authorize: (c) => operatorOf(c as Context<AppEnv>),
    onError: (error, insight) =>
      log.error('dashboard.insight_failed', {
        insight,
        error: error instanceof ConfigError ? `config: ${error.message}` : String(error).slice(0, 500),
      }),
  }
  const app = dashboardRoutes(options)
  // Run first for /login too (wrangler.jsonc), so its GET is the static form.
  app.get('/login', (c) => (c as unknown as Context<AppEnv>).env.ASSETS.fetch(c.req.raw))
  return app
}
