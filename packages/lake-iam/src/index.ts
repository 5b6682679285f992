/** @module Public API of @spotify-lake/lake-iam: the lake's IAM policies as pure data, shared by infra and the local S3's IAM gate. */
export {
  DASHBOARD_ATHENA_ACTIONS,
  DASHBOARD_GLUE_ACTIONS,
  type DashboardAthenaResources,
  dashboardStatements,
} from './dashboard-grants.ts'
export { LAKE_PREFIXES, type LakePrefix } from './lake-prefixes.ts'
export {
  bucketArnOf,
  objectArn,
  type PolicyDocument,
  type PolicyStatement,
  toPolicyDocument,
  toPolicyJson,
} from './policy-document.ts'
export {
  type ObjectAccess,
  type PrefixGrant,
  WORKER_IAM_PATH,
  WORKER_NAMES,
  type WorkerName,
  workerBoundaryName,
  workerBoundaryStatements,
  workerGrants,
  workerStatements,
  workerUserName,
} from './worker-grants.ts'
