/** @module DuckDB mapper: a typed table, or a view over hive-partitioned Parquet, standing in for Athena locally. */
import { isListType, type LakeColumnType, type LakeScalarType, scalarOf } from './column-types.ts'
import { type LakeTableShape, PARTITION_KEY } from './define-table.ts'

const duckDbScalarTypes: Record<LakeScalarType, string> = {
  string: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  boolean: 'BOOLEAN',
  // Parquet TIMESTAMP(isAdjustedToUTC=true) reads as TIMESTAMP WITH TIME ZONE.
  timestamp: 'TIMESTAMPTZ',
}

export function toDuckDbType(type: LakeColumnType): string {
  const scalar = duckDbScalarTypes[scalarOf(type)]
  return isListType(type) ? `${scalar}[]` : scalar
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

export interface DuckDbDdlOptions {
  /**
   * Folder of the table's files (local path), holding `dt=YYYY-MM-DD/*.parquet`. With it the
   * result is a view over those files; without it an empty table of the same shape.
   */
  source?: string
}

/**
 * Table or view with the declared columns in order, then `dt` as VARCHAR (as in Glue). The view
 * casts each column to its declared type and reads by name, so files missing a newer column
 * still load (with NULLs).
 */
export function toDuckDbDdl(table: LakeTableShape, { source }: DuckDbDdlOptions = {}): string {
  if (source === undefined) {
    const columns = table.columns.map(
      (c) => `  ${ident(c.name)} ${toDuckDbType(c.type)}${c.nullable ? '' : ' NOT NULL'}`,
    )
    columns.push(`  ${ident(PARTITION_KEY)} VARCHAR NOT NULL`)
    return `CREATE TABLE IF NOT EXISTS ${ident(table.name)} (\n${columns.join(',\n')}\n)`
  }
  const glob = `${source.replace(/\/+$/, '')}/${PARTITION_KEY}=*/*.parquet`
  const columns = table.columns.map(
    (c) => `  CAST(${ident(c.name)} AS ${toDuckDbType(c.type)}) AS ${ident(c.name)}`,
  )
  columns.push(`  CAST(${ident(PARTITION_KEY)} AS VARCHAR) AS ${ident(PARTITION_KEY)}`)
  return [
    `CREATE OR REPLACE VIEW ${ident(table.name)} AS`,
    'SELECT',
    columns.join(',\n'),
    `FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, union_by_name = true, hive_types = {${sqlString(PARTITION_KEY)}: VARCHAR})`,
  ].join('\n')
}
