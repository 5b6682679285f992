/** @module Athena mapper: the CREATE EXTERNAL TABLE statement of a lake table. */
import { type LakeTableShape, PARTITION_KEY, PARTITION_KEY_DESCRIPTION } from './define-table.ts'
import { toGlueColumns, toPartitionProjection, withTrailingSlash } from './glue.ts'
import { LAKE_PARQUET_CODEC } from './parquet.ts'

export interface AthenaDdlOptions {
  /** Glue database name. */
  database: string
  /** S3 URL of the table folder, e.g. `s3://bucket/tables/tracks/`. */
  location: string
  projectionStart?: string
}

/** Backtick-quoted Hive identifier (names are snake_case, checked at definition). */
function ident(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

/** Single-quoted Hive string literal. */
export function hiveString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/**
 * DDL with the same columns and types as the Glue table infra declares (both come from
 * `toGlueColumns`), partitioned by `dt` with projection, stored as Parquet.
 */
export function toAthenaDdl(
  table: LakeTableShape,
  { database, location, projectionStart }: AthenaDdlOptions,
): string {
  if (!location.startsWith('s3://'))
    throw new Error(`Athena table location must be an s3:// URL, got ${location}`)
  const columns = toGlueColumns(table).map(
    (c) => `  ${ident(c.name)} ${c.type} COMMENT ${hiveString(c.comment)}`,
  )
  const properties = {
    ...toPartitionProjection({ location, projectionStart }),
    'parquet.compression': LAKE_PARQUET_CODEC,
  }
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(database)}.${ident(table.name)} (`,
    columns.join(',\n'),
    ')',
    `COMMENT ${hiveString(table.description)}`,
    `PARTITIONED BY (${ident(PARTITION_KEY)} string COMMENT ${hiveString(PARTITION_KEY_DESCRIPTION)})`,
    'STORED AS PARQUET',
    `LOCATION ${hiveString(withTrailingSlash(location))}`,
    'TBLPROPERTIES (',
    Object.entries(properties)
      .map(([key, value]) => `  ${hiveString(key)} = ${hiveString(value)}`)
      .join(',\n'),
    ')',
  ].join('\n')
}
