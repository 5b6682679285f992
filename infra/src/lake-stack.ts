/** @module `LakeStack`: one environment's whole AWS side (lake, catalog, Athena, Worker IAM, deploy role). */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity'
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region'
import { AwsProvider } from '@cdktf/provider-aws/lib/provider'
import { WORKER_NAMES, workerBoundaryName, workerUserName } from '@spotify-lake/lake-iam'
import { catalogTables, type LakeTableShape, type LakeView, lakeViews } from '@spotify-lake/schemas'
import { DataResource, Fn, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf'
import type { Construct } from 'constructs'
import { AthenaWorkspace } from './athena-workspace.ts'
import { DeployRole } from './deploy-role.ts'
import { type EnvironmentConfig, toGlueName } from './environments.ts'
import type { InsightQuery } from './insight-queries.ts'
import { LakeBucket } from './lake-bucket.ts'
import { LakeCatalog } from './lake-catalog.ts'
import { StateBackend, stateKey } from './state-backend.ts'
import { WorkerAccess } from './worker-access.ts'

export interface LakeStackProps {
  environment: EnvironmentConfig
  insightQueries: readonly InsightQuery[]
  /** The Glue tables: every data table plus `run_tables`. */
  tables?: readonly LakeTableShape[]
  views?: readonly LakeView[]
}

export class LakeStack extends TerraformStack {
  constructor(
    scope: Construct,
    id: string,
    { environment, insightQueries, tables = catalogTables, views = lakeViews }: LakeStackProps,
  ) {
    super(scope, id)
    const key = stateKey(environment.name)
    new StateBackend(this, key)
    // No region in code: it comes from AWS_REGION (set by the deploy workflow, or your shell).
    new AwsProvider(this, 'aws', {
      defaultTags: [
        { tags: { project: 'spotify-lake', environment: environment.name, 'managed-by': 'cdktf' } },
      ],
    })

    const githubRepository = new TerraformVariable(this, 'github_repository', {
      type: 'string',
      description: 'owner/repo of the GitHub repository whose deploy jobs may assume the deploy role.',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))',
          errorMessage: 'github_repository must look like owner/repo.',
        },
      ],
    })
    const stateBucket = new TerraformVariable(this, 'state_bucket', {
      type: 'string',
      description: 'Bucket holding the Terraform state (the same value as -backend-config=bucket=...).',
    })

    const firstDate = new TerraformVariable(this, 'lake_first_date', {
      type: 'string',
      default: '',
      description:
        "First dt (YYYY-MM-DD) Athena projects partitions from; empty: the date of this stack's first apply.",
      validation: [
        {
          condition: 'can(regex("^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", var.lake_first_date))',
          errorMessage: 'lake_first_date must be a date like 2026-11-21, or empty for the first deploy date.',
        },
      ],
    })
    // The date of the first apply, kept for good: `input` is the plan's date, and ignoring its later changes
    // means the stored value stays the one of the apply that created it.
    const firstDeploy = new DataResource(this, 'first_deploy', {
      input: { date: Fn.formatdate('YYYY-MM-DD', Fn.plantimestamp()) },
      lifecycle: { ignoreChanges: ['input'] },
    })
    const firstDeployDate = `${firstDeploy.terraformResourceType}.${firstDeploy.friendlyUniqueId}.output.date`
    const projectionStartDate = `\${var.${firstDate.friendlyUniqueId} != "" ? var.${firstDate.friendlyUniqueId} : ${firstDeployDate}}`

    const accountId = new DataAwsCallerIdentity(this, 'account').accountId
    const region = new DataAwsRegion(this, 'region').region
    const namePrefix = environment.namePrefix
    const databaseName = toGlueName(namePrefix)

    const lake = new LakeBucket(this, 'lake-bucket', { environment, accountId })
    const catalog = new LakeCatalog(this, 'lake-catalog', {
      databaseName,
      bucketName: lake.bucketName,
      tables,
      views,
      projectionStartDate,
    })
    const athena = new AthenaWorkspace(this, 'athena', {
      environment,
      accountId,
      databaseName: catalog.database.name,
      insightQueries,
    })
    const workers = new WorkerAccess(this, 'worker-access', {
      namePrefix,
      bucketArn: lake.bucketArn,
      dashboard: {
        region,
        accountId,
        workgroupName: athena.workgroup.name,
        databaseName: catalog.database.name,
        tableNames: [...tables, ...views].map((table) => table.name),
        resultsBucketArn: athena.resultsBucketArn,
      },
    })
    const deploy = new DeployRole(this, 'deploy-role', {
      namePrefix,
      githubEnvironment: environment.name,
      githubRepository: githubRepository.stringValue,
      accountId,
      region,
      stateBucket: stateBucket.stringValue,
      stateKey: key,
      bucketArns: [lake.bucketArn, athena.resultsBucketArn],
      glueDatabaseName: databaseName,
      glueTableNames: [...tables, ...views].map((table) => table.name),
      workgroupName: namePrefix,
      workerUserNames: WORKER_NAMES.map((worker) => workerUserName({ namePrefix, worker })),
      workerBoundaryName: workerBoundaryName(namePrefix),
    })

    const outputs: Record<string, { value: string; description: string; sensitive?: boolean }> = {
      aws_region: {
        value: region,
        description: 'Region of every resource (the Workers sign S3 requests for it).',
      },
      lake_bucket: { value: lake.bucketName, description: 'The lake bucket (S3_BUCKET of both Workers).' },
      athena_results_bucket: {
        value: athena.resultsBucketName,
        description: 'Athena query results (expiring).',
      },
      glue_database: { value: catalog.database.name, description: 'Glue database of the lake tables.' },
      athena_workgroup: { value: athena.workgroup.name, description: 'Athena workgroup to query with.' },
      deploy_role_arn: {
        value: deploy.role.arn,
        description: 'Role for the GitHub environment secret AWS_DEPLOY_ROLE_ARN.',
      },
    }
    for (const worker of WORKER_NAMES) {
      const prefix = worker.replace('spotify-lake-', '')
      const { accessKey } = workers.credentials[worker]
      outputs[`${prefix}_access_key_id`] = {
        value: accessKey.id,
        description: `AWS_ACCESS_KEY_ID of ${worker}.`,
      }
      outputs[`${prefix}_secret_access_key`] = {
        value: accessKey.secret,
        description: `AWS_SECRET_ACCESS_KEY of ${worker} (set as a Worker secret, never printed).`,
        sensitive: true,
      }
    }
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output)
  }
}
