/**
 * @module The Athena the workerd tests query: packages/dashboard's stand-in of Athena's HTTP API (SigV4
 * verified, refusing what Athena refuses), answering with DuckDB over the CLI's test lake (the same rows
 * the CLI's insight tests know the answers of), as Athena's text cells.
 */

import { type FakeAthenaResult, startFakeAthena } from '@spotify-lake/dashboard/testing'
import { DASHBOARD_ATHENA_ACTIONS } from '@spotify-lake/lake-iam'
import { fixtureFiles, openLakeOf } from '../../../cli/test/support/query-lake.ts'

export const ATHENA = { region: 'us-east-1', workgroup: 'spotify-lake-test', database: 'spotify_lake_test' }

type Value = unknown

/** Athena's type and text of a column, from the values DuckDB gave (the first non-null one decides). */
function athenaColumn(values: Value[]): { type: string; text: (v: Value) => string } {
  const sample = values.find((v) => v !== null && v !== undefined)
  if (typeof sample === 'number')
    return values.every((v) => v === null || Number.isInteger(v))
      ? { type: 'bigint', text: String }
      : { type: 'double', text: String }
  if (typeof sample === 'boolean') return { type: 'boolean', text: String }
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(sample))
    return { type: 'timestamp(3)', text: (v) => String(v).replace('T', ' ').replace('Z', '') }
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(sample)) return { type: 'date', text: String }
  if (Array.isArray(sample)) return { type: 'array(varchar)', text: (v) => `[${(v as Value[]).join(', ')}]` }
  return { type: 'varchar', text: String }
}

export async function startAthenaStandIn(worker: { accessKeyId: string; secretAccessKey: string }) {
  const lake = await openLakeOf(fixtureFiles())
  const athena = await startFakeAthena({
    region: ATHENA.region,
    workgroup: ATHENA.workgroup,
    // The extractor Worker's IAM user holds exactly the dashboard's Athena actions (lake-iam).
    identities: {
      [worker.accessKeyId]: { secretAccessKey: worker.secretAccessKey, actions: DASHBOARD_ATHENA_ACTIONS },
    },
    execute: async (sql): Promise<FakeAthenaResult> => {
      const result = await lake.db.query(sql)
      const columns = result.columns.map((name, c) => ({
        name,
        ...athenaColumn(result.rows.map((r) => r[c])),
      }))
      return {
        columns: columns.map(({ name, type }) => ({ name, type })),
        rows: result.rows.map((r) => r.map((v, c) => (v === null ? null : columns[c]!.text(v)))),
      }
    },
  })
  return {
    info: { endpoint: athena.endpoint, ...ATHENA },
    queries: athena.queries,
    close: async () => {
      await athena.close()
      await lake.close()
    },
  }
}
