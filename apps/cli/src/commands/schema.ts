/** @module `lake schema`: print the schemas derived from the lake table declarations (Athena, Glue, DuckDB, Parquet). */
import { parseArgs } from 'node:util'
import {
  catalogTables,
  type LakeTableShape,
  lakeKeys,
  lakeViews,
  toAthenaDdl,
  toDuckDbDdl,
  toDuckDbViewDdl,
  toGlueColumns,
  toGluePartitionKeys,
  toGlueTableParameters,
  toParquetSchema,
} from '@spotify-lake/schemas'
import { type Command, EXIT_OK, UsageError } from '../command.ts'

export const SCHEMA_FORMATS = ['athena', 'glue', 'duckdb', 'parquet'] as const
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number]

export const DEFAULT_DATABASE = 'spotify_lake'

export interface RenderSchemaOptions {
  format: SchemaFormat
  /** One table, or every table when absent. */
  table?: string
  database?: string
  /** Lake root: `s3://bucket[/prefix]` for athena/glue, a local folder for duckdb. */
  location?: string
}

/** `<root>/tables/<table>/`, the layout from `lakeKeys` (the pipeline owns it). */
function tableLocation(root: string, table: LakeTableShape): string {
  return `${root.replace(/\/+$/, '')}/${lakeKeys.tablePrefix(table.name)}`
}

const TABLE_NAMES = catalogTables.map((t) => t.name)

/** Every table the engines see (the data tables and run_tables), or the one named. */
function selectTables(table: string | undefined): readonly LakeTableShape[] {
  if (table === undefined) return catalogTables
  const found = catalogTables.find((t) => t.name === table)
  if (!found) {
    throw new UsageError(`unknown table ${JSON.stringify(table)}; valid tables: ${TABLE_NAMES.join(', ')}`)
  }
  return [found]
}

function isSchemaFormat(format: string): format is SchemaFormat {
  return (SCHEMA_FORMATS as readonly string[]).includes(format)
}

/** The text `lake schema` prints: SQL statements for athena/duckdb, JSON for glue/parquet. */
export function renderSchema({
  format,
  table,
  database = DEFAULT_DATABASE,
  location,
}: RenderSchemaOptions): string {
  if (!isSchemaFormat(format)) {
    throw new UsageError(
      `unknown format ${JSON.stringify(format)}; valid formats: ${SCHEMA_FORMATS.join(', ')}`,
    )
  }
  const tables = selectTables(table)
  // With every table, SQL output also declares the views (the insights read them): the same statements
  // work in Athena and DuckDB.
  const views = table === undefined ? lakeViews.map(toDuckDbViewDdl) : []
  const sql = (statements: string[]) => `${statements.map((s) => `${s};`).join('\n\n')}\n`
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
  if ((format === 'athena' || format === 'glue') && location !== undefined && !location.startsWith('s3://')) {
    throw new UsageError(`--location for ${format} must be an s3:// URL (the lake root), got ${location}`)
  }
  switch (format) {
    case 'athena': {
      if (location === undefined)
        throw new UsageError('--location s3://bucket[/prefix] (the lake root) is required for athena')
      return sql([
        ...tables.map((t) => toAthenaDdl(t, { database, location: tableLocation(location, t) })),
        ...views,
      ])
    }
    case 'duckdb':
      return sql([
        ...tables.map((t) =>
          toDuckDbDdl(t, location === undefined ? {} : { source: tableLocation(location, t) }),
        ),
        ...views,
      ])
    case 'glue':
      return json(
        tables.map((t) => ({
          database,
          name: t.name,
          description: t.description,
          columns: toGlueColumns(t),
          partitionKeys: toGluePartitionKeys(t),
          ...(location === undefined
            ? {}
            : { parameters: toGlueTableParameters({ location: tableLocation(location, t) }) }),
        })),
      )
    case 'parquet':
      return json(tables.map((t) => ({ name: t.name, schema: toParquetSchema(t) })))
  }
}

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the schemas derived from the lake tables (athena, glue, duckdb, parquet).',
  usage: [
    'Usage: lake schema --format athena|glue|duckdb|parquet [--table NAME] [--database NAME] [--location ROOT]',
    '',
    'Options:',
    `  --format    athena: CREATE EXTERNAL TABLE with partition projection (needs --location s3://...),`,
    '                then the lake views (CREATE OR REPLACE VIEW) the insights read',
    '              glue: Glue columns, partition keys (and table parameters with --location) as JSON',
    '              duckdb: CREATE TABLE, or with --location DIR a view over DIR/tables/<table>/dt=*/*.parquet;',
    '                then the lake views',
    '              parquet: hyparquet-writer schema elements as JSON',
    `  --table     one of: ${TABLE_NAMES.join(', ')} (default: all tables, and the views)`,
    `  --database  Glue database name (default: ${DEFAULT_DATABASE})`,
    '  --location  lake root; each table lives at <root>/tables/<table>/',
  ].join('\n'),
  run: ({ args, io }) => {
    const { values } = parseArgs({
      args: [...args],
      options: {
        format: { type: 'string' },
        table: { type: 'string' },
        database: { type: 'string' },
        location: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    })
    if (values.format === undefined) {
      throw new UsageError(`--format is required; valid formats: ${SCHEMA_FORMATS.join(', ')}`)
    }
    io.stdout(
      renderSchema({
        format: values.format as SchemaFormat,
        table: values.table,
        database: values.database,
        location: values.location,
      }),
    )
    return EXIT_OK
  },
}
