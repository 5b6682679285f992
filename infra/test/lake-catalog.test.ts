import {
  catalogTables,
  lakeViews,
  toGlueColumns,
  toGluePartitionKeys,
  toTrinoType,
} from '@spotify-lake/schemas'
import { describe, expect, it } from 'vitest'
import { ENVIRONMENT_NAMES, environments, toGlueName } from '../src/environments.ts'
import { PARQUET_INPUT_FORMAT, PARQUET_OUTPUT_FORMAT, PARQUET_SERDE } from '../src/lake-catalog.ts'
import { escapeTerraformTemplate } from '../src/terraform-escape.ts'
import { bucketRef, resourcesOf, synthStack } from './support/synth.ts'

interface GlueTableJson {
  name: string
  database_name: string
  table_type: string
  description: string
  parameters: Record<string, string>
  partition_keys: { name: string; type: string; comment: string }[]
  storage_descriptor: {
    location: string
    input_format: string
    output_format: string
    ser_de_info: { serialization_library: string }
    columns: { name: string; type: string; comment: string }[]
  }
}

/** The projection's first date as synthesized: the variable when set, else the first apply's date. */
const FIRST_DATE =
  '${var.lake_first_date != "" ? var.lake_first_date : terraform_data.first_deploy.output.date}'

describe.each(ENVIRONMENT_NAMES)('Glue catalog of the %s stack', (name) => {
  const { json } = synthStack({ environment: name })
  const environment = environments[name]
  const [lakeBucketId] = resourcesOf<{ bucket: string }>(json, 'aws_s3_bucket').find(([, b]) =>
    b.bucket.startsWith(`${environment.namePrefix}-lake-`),
  )!
  const tables = new Map(
    resourcesOf<GlueTableJson>(json, 'aws_glue_catalog_table').map(([, t]) => [t.name, t]),
  )
  const databases = resourcesOf<{ name: string }>(json, 'aws_glue_catalog_database')

  it('has one database named per environment', () => {
    expect(databases.map(([, d]) => d.name)).toEqual([toGlueName(environment.namePrefix)])
    expect(toGlueName(environment.namePrefix)).toBe(`spotify_lake_${name}`)
  })

  it('has exactly one Glue table per lake table (run_tables included) and one per view', () => {
    expect([...tables.keys()].sort()).toEqual(
      [...catalogTables.map((t) => t.name), ...lakeViews.map((v) => v.name)].sort(),
    )
  })

  describe.each(lakeViews.map((v) => [v.name, v] as const))('view %s', (viewName, view) => {
    const glue = tables.get(viewName) as GlueTableJson & {
      view_original_text: string
      view_expanded_text: string
    }

    it('is an Athena (Presto) view of the declared SQL and columns, in this database', () => {
      expect(glue.table_type).toBe('VIRTUAL_VIEW')
      expect(glue.parameters).toMatchObject({ presto_view: 'true' })
      expect(glue.view_expanded_text).toBe('/* Presto View */')
      const encoded = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(glue.view_original_text)?.[1]
      const definition = JSON.parse(Buffer.from(encoded ?? '', 'base64').toString('utf8'))
      expect(definition).toEqual({
        originalSql: view.sql,
        catalog: 'awsdatacatalog',
        schema: toGlueName(environment.namePrefix),
        columns: view.columns.map((c) => ({ name: c.name, type: toTrinoType(c.type) })),
      })
      expect(glue.storage_descriptor.columns.map((c) => c.name)).toEqual(view.columns.map((c) => c.name))
    })
  })

  describe.each(catalogTables.map((t) => [t.name, t] as const))('table %s', (tableName, table) => {
    const glue = tables.get(tableName)!
    const location = `s3://${bucketRef(lakeBucketId, 'bucket')}/tables/${tableName}/`

    it('has exactly the columns and partition key derived from @spotify-lake/schemas', () => {
      expect(glue.storage_descriptor.columns).toEqual(toGlueColumns(table))
      expect(glue.storage_descriptor.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name))
      expect(glue.storage_descriptor.columns.map((c) => c.name)).toEqual(
        expect.arrayContaining(['_run_id', '_extracted_at']),
      )
      expect(glue.partition_keys).toEqual(toGluePartitionKeys(table))
      expect(glue.description).toBe(table.description)
    })

    it('is an external Parquet table over tables/<name>/', () => {
      expect(glue.table_type).toBe('EXTERNAL_TABLE')
      expect(glue.database_name).toMatch(/^\$\{aws_glue_catalog_database\..+\.name\}$/)
      expect(glue.storage_descriptor.location).toBe(location)
      expect(glue.storage_descriptor.input_format).toBe(PARQUET_INPUT_FORMAT)
      expect(glue.storage_descriptor.output_format).toBe(PARQUET_OUTPUT_FORMAT)
      expect(glue.storage_descriptor.ser_de_info.serialization_library).toBe(PARQUET_SERDE)
      expect(glue.parameters.classification).toBe('parquet')
    })

    it('projects dt partitions (no crawler, no MSCK) with a Terraform-escaped storage template', () => {
      expect(glue.parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': `${FIRST_DATE},NOW`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
      })
      // `$${dt}` in Terraform JSON reaches Glue as the literal `${dt}` Athena substitutes.
      expect(glue.parameters['storage.location.template']).toBe(`${location}dt=$\${dt}/`)
    })
  })

  it('starts the projection at the configured first date, else the date of the first apply, kept for good', () => {
    expect(json.variable.lake_first_date).toMatchObject({ type: 'string', default: '' })
    const firstDeploy = json.resource.terraform_data?.first_deploy as {
      input: { date: string }
      lifecycle: { ignore_changes: string[] }
    }
    expect(firstDeploy.input.date).toBe('${formatdate("YYYY-MM-DD", plantimestamp())}')
    // Without ignore_changes every plan would move the start to that day and hide all earlier partitions.
    expect(firstDeploy.lifecycle.ignore_changes).toEqual(['input'])
  })

  it('creates no crawler', () => {
    expect(json.resource.aws_glue_crawler).toBeUndefined()
  })
})

describe('escapeTerraformTemplate', () => {
  it('escapes template openers so Terraform passes them through literally', () => {
    expect(escapeTerraformTemplate('dt=${dt}/ and %{if x}')).toBe('dt=$${dt}/ and %%{if x}')
    expect(escapeTerraformTemplate('no templates here: $5 {x}')).toBe('no templates here: $5 {x}')
  })
})
