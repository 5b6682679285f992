/** @module Glue mapper: Hive column types, partition keys and table parameters of a lake table. */
import { isListType, type LakeColumnType, type LakeScalarType, scalarOf } from './column-types.ts'
import { type LakeTableShape, PARTITION_KEY, PARTITION_KEY_DESCRIPTION } from './define-table.ts'
import { LAKE_PARQUET_CODEC } from './parquet.ts'

export interface GlueColumn {
  name: string
  /** Hive type as Glue and Athena spell it: string, int, bigint, double, boolean, timestamp, array<string>. */
  type: string
  comment: string
}

const hiveScalarTypes: Record<LakeScalarType, string> = {
  string: 'string',
  int32: 'int',
  int64: 'bigint',
  float64: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
}

export function toHiveType(type: LakeColumnType): string {
  const scalar = hiveScalarTypes[scalarOf(type)]
  return isListType(type) ? `array<${scalar}>` : scalar
}

/** Storage columns of the Glue table, in file order (the partition key is not among them). */
export function toGlueColumns(table: LakeTableShape): GlueColumn[] {
  return table.columns.map((column) => ({
    name: column.name,
    type: toHiveType(column.type),
    comment: column.description,
  }))
}

/** Glue partition keys: `dt` as a string, matching `dt=YYYY-MM-DD` in the object keys. */
export function toGluePartitionKeys(_table: LakeTableShape): GlueColumn[] {
  return [{ name: PARTITION_KEY, type: 'string', comment: PARTITION_KEY_DESCRIPTION }]
}

/** Glue storage descriptor of every lake table: what Athena's `STORED AS PARQUET` stands for. */
export const GLUE_PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const

export interface PartitionProjectionOptions {
  /** S3 URL of the table folder, e.g. `s3://bucket/tables/tracks/` (a trailing slash is added). */
  location: string
  /** First dt Athena will consider; `NOW` is the end. */
  projectionStart?: string
}

/** The S3 URL with exactly one trailing slash. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

/**
 * Table parameters for partition projection on dt, so new dt folders are queryable without
 * crawlers or MSCK REPAIR. `${dt}` is literal here: in Terraform/CDKTF write it as `$${dt}`.
 */
export function toPartitionProjection({
  location,
  projectionStart = '2024-01-01',
}: PartitionProjectionOptions): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${PARTITION_KEY}.type`]: 'date',
    [`projection.${PARTITION_KEY}.format`]: 'yyyy-MM-dd',
    [`projection.${PARTITION_KEY}.range`]: `${projectionStart},NOW`,
    [`projection.${PARTITION_KEY}.interval`]: '1',
    [`projection.${PARTITION_KEY}.interval.unit`]: 'DAYS',
    'storage.location.template': `${withTrailingSlash(location)}${PARTITION_KEY}=\${${PARTITION_KEY}}/`,
  }
}

/** All Glue table parameters of an external Parquet table with projection (Athena DDL's TBLPROPERTIES). */
export function toGlueTableParameters(options: PartitionProjectionOptions): Record<string, string> {
  return {
    classification: 'parquet',
    EXTERNAL: 'TRUE',
    'parquet.compression': LAKE_PARQUET_CODEC,
    ...toPartitionProjection(options),
  }
}
