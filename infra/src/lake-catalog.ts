/** @module `LakeCatalog`: the Glue database and one Glue table per lake table, derived from @spotify-lake/schemas. */
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database'
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table'
import {
  type LakeTableShape,
  type LakeView,
  toGlueColumns,
  toGluePartitionKeys,
  toGlueTableParameters,
  toGlueView,
} from '@spotify-lake/schemas'
import { Construct } from 'constructs'
import { escapeTerraformTemplate } from './terraform-escape.ts'

export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'

export interface LakeCatalogProps {
  databaseName: string
  /** Name of the lake bucket (may be a Terraform reference). */
  bucketName: string
  tables: readonly LakeTableShape[]
  /** Athena views over the tables (Glue tables of type VIRTUAL_VIEW), derived from the same declarations as DuckDB's. */
  views?: readonly LakeView[]
  /**
   * First `dt` partition projection offers (YYYY-MM-DD; may be a Terraform reference). Athena lists every
   * `dt=` prefix from it to today for an unfiltered query, so it should be the lake's first day, no earlier.
   */
  projectionStartDate: string
}

/** Stand in for the bucket and the first date while parameters are escaped, so their `${...}` references are kept. */
const BUCKET_PLACEHOLDER = '__LAKE_BUCKET__'
const FIRST_DATE_PLACEHOLDER = '__LAKE_FIRST_DATE__'

/** Glue table parameters for a table under `s3://<bucket>/tables/<name>/`, escaped for Terraform. */
export function glueTableParameters({
  table,
  bucketName,
  projectionStartDate,
}: {
  table: LakeTableShape
  bucketName: string
  projectionStartDate: string
}): Record<string, string> {
  const raw = toGlueTableParameters({
    location: `s3://${BUCKET_PLACEHOLDER}/tables/${table.name}/`,
    projectionStart: FIRST_DATE_PLACEHOLDER,
  })
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [
      key,
      escapeTerraformTemplate(value)
        .replaceAll(BUCKET_PLACEHOLDER, () => bucketName)
        .replaceAll(FIRST_DATE_PLACEHOLDER, () => projectionStartDate),
    ]),
  )
}

export class LakeCatalog extends Construct {
  readonly database: GlueCatalogDatabase
  readonly tables: readonly GlueCatalogTable[]
  readonly views: readonly GlueCatalogTable[]

  constructor(
    scope: Construct,
    id: string,
    { databaseName, bucketName, tables, views = [], projectionStartDate }: LakeCatalogProps,
  ) {
    super(scope, id)
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: databaseName,
      description: 'spotify-lake: Spotify catalog and playlist history (Parquet, partitioned by dt).',
    })
    this.tables = tables.map(
      (table) =>
        new GlueCatalogTable(this, `table-${table.name}`, {
          name: table.name,
          databaseName: this.database.name,
          description: table.description,
          tableType: 'EXTERNAL_TABLE',
          // Partition projection: Athena computes dt partitions from these parameters, so there is
          // no crawler and no MSCK REPAIR, and a new dt is queryable the moment its file lands.
          parameters: glueTableParameters({ table, bucketName, projectionStartDate }),
          partitionKeys: toGluePartitionKeys(table),
          storageDescriptor: {
            location: `s3://${bucketName}/tables/${table.name}/`,
            inputFormat: PARQUET_INPUT_FORMAT,
            outputFormat: PARQUET_OUTPUT_FORMAT,
            serDeInfo: {
              name: 'parquet',
              serializationLibrary: PARQUET_SERDE,
              parameters: { 'serialization.format': '1' },
            },
            columns: toGlueColumns(table),
          },
        }),
    )
    // Views as Athena's own CREATE VIEW stores them; they read the tables above, so they come after them.
    this.views = views.map((view) => {
      const glue = toGlueView(view, { database: databaseName })
      return new GlueCatalogTable(this, `view-${view.name}`, {
        name: glue.name,
        databaseName: this.database.name,
        description: glue.description,
        tableType: glue.tableType,
        parameters: glue.parameters,
        viewOriginalText: glue.viewOriginalText,
        viewExpandedText: glue.viewExpandedText,
        storageDescriptor: {
          serDeInfo: { name: '-', serializationLibrary: '-' },
          columns: glue.columns,
        },
        dependsOn: [...this.tables],
      })
    })
  }
}
