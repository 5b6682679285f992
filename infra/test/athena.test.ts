import { Testing } from 'cdktf'
import { describe, expect, it } from 'vitest'
import { ATHENA_ENGINE_VERSION } from '../src/athena-workspace.ts'
import { ENVIRONMENT_NAMES, environments } from '../src/environments.ts'
import { readInsightQueries } from '../src/insight-queries.ts'
import { bucketRef, FIXTURE_SQL_DIR, resourcesOf, synthStack } from './support/synth.ts'

interface WorkgroupJson {
  name: string
  state: string
  configuration: {
    enforce_workgroup_configuration: boolean
    bytes_scanned_cutoff_per_query: number
    publish_cloudwatch_metrics_enabled: boolean
    engine_version: { selected_engine_version: string }
    result_configuration: { output_location: string; encryption_configuration: { encryption_option: string } }
  }
}

describe.each(ENVIRONMENT_NAMES)('Athena of the %s stack', (name) => {
  const { text, json } = synthStack({ environment: name })
  const environment = environments[name]
  const [resultsId] = resourcesOf<{ bucket: string }>(json, 'aws_s3_bucket').find(([, b]) =>
    b.bucket.startsWith(`${environment.namePrefix}-athena-results-`),
  )!
  const workgroups = resourcesOf<WorkgroupJson>(json, 'aws_athena_workgroup')

  it('enforces the workgroup configuration, result location, encryption and a scan limit per query', () => {
    expect(workgroups).toHaveLength(1)
    const [, workgroup] = workgroups[0]!
    expect(workgroup.name).toBe(environment.namePrefix)
    expect(workgroup.state).toBe('ENABLED')
    expect(workgroup.configuration).toEqual({
      enforce_workgroup_configuration: true,
      publish_cloudwatch_metrics_enabled: true,
      bytes_scanned_cutoff_per_query: environment.bytesScannedCutoffPerQuery,
      engine_version: { selected_engine_version: ATHENA_ENGINE_VERSION },
      result_configuration: {
        output_location: `s3://${bucketRef(resultsId, 'bucket')}/results/`,
        encryption_configuration: { encryption_option: 'SSE_S3' },
      },
    })
    // Athena's minimum cutoff is 10 MB: a smaller value would be rejected at apply time.
    expect(environment.bytesScannedCutoffPerQuery).toBeGreaterThanOrEqual(10 * 1024 ** 2)
  })

  it('creates one named query per insight SQL file, in the workgroup and the lake database', () => {
    const [query] = readInsightQueries({ dir: FIXTURE_SQL_DIR })
    const [workgroupId] = workgroups[0]!
    const databaseId = Object.keys(json.resource.aws_glue_catalog_database ?? {})[0]
    expect(
      Testing.toHaveResourceWithProperties(text, 'aws_athena_named_query', {
        name: 'top-tracks',
        description: query!.description,
        query: query!.sql,
        workgroup: `\${aws_athena_workgroup.${workgroupId}.name}`,
        database: `\${aws_glue_catalog_database.${databaseId}.name}`,
      }),
    ).toBe(true)
    expect(resourcesOf(json, 'aws_athena_named_query')).toHaveLength(1)
  })

  it('synthesizes with no insight queries at all', () => {
    const empty = synthStack({ environment: name, insightQueries: [] })
    expect(empty.json.resource.aws_athena_named_query).toBeUndefined()
    expect(resourcesOf(empty.json, 'aws_athena_workgroup')).toHaveLength(1)
  })

  it('escapes template syntax inside SQL so Terraform sends it verbatim', () => {
    const sql = "SELECT '${not_a_terraform_var}' AS x"
    const { json: withTemplate } = synthStack({
      environment: name,
      insightQueries: [{ name: 'template', description: 'template text', sql }],
    })
    const [, query] = resourcesOf<{ query: string }>(withTemplate, 'aws_athena_named_query')[0]!
    expect(query.query).toBe("SELECT '$${not_a_terraform_var}' AS x")
  })
})
