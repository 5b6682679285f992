/**
 * @module What the extractor Worker's IAM user may do beyond the lake bucket, for the dashboard: run
 * queries in the one Athena workgroup, read the lake's Glue database, and write and read the workgroup's
 * results (Athena reads the tables and writes the results with the caller's own permissions). Nothing
 * else: no other workgroup, no DDL, no Glue writes, no named queries.
 */
import type { PolicyStatement } from './policy-document.ts'

/** The four calls of the Athena HTTP API the dashboard makes (packages/dashboard/src/athena.ts). */
export const DASHBOARD_ATHENA_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
] as const

/** Read-only Glue calls Athena makes on the caller's behalf to plan a query over tables and views. */
export const DASHBOARD_GLUE_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
] as const

export interface DashboardAthenaResources {
  region: string
  accountId: string
  workgroupName: string
  databaseName: string
  /** Every table and view of the database, by name (no wildcard). */
  tableNames: readonly string[]
  /** The workgroup's results bucket (its output location is `results/` in it, enforced). */
  resultsBucketArn: string
}

export function dashboardStatements({
  region,
  accountId,
  workgroupName,
  databaseName,
  tableNames,
  resultsBucketArn,
}: DashboardAthenaResources): PolicyStatement[] {
  const glue = `arn:aws:glue:${region}:${accountId}`
  return [
    {
      Sid: 'DashboardAthenaQueries',
      Effect: 'Allow',
      Action: [...DASHBOARD_ATHENA_ACTIONS],
      Resource: [`arn:aws:athena:${region}:${accountId}:workgroup/${workgroupName}`],
    },
    {
      Sid: 'DashboardGlueRead',
      Effect: 'Allow',
      Action: [...DASHBOARD_GLUE_ACTIONS],
      Resource: [
        `${glue}:catalog`,
        `${glue}:database/${databaseName}`,
        ...tableNames.map((table) => `${glue}:table/${databaseName}/${table}`),
      ],
    },
    {
      Sid: 'DashboardAthenaResults',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [`${resultsBucketArn}/results/*`],
    },
    {
      Sid: 'DashboardAthenaResultsBucket',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: [resultsBucketArn],
    },
  ]
}
