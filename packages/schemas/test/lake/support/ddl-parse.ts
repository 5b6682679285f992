/** @module Test helpers that read derived DDL and Parquet schemas back into plain column lists. */
import type { SchemaElement } from 'hyparquet-writer'

export interface ParsedColumn {
  name: string
  type: string
  nullable?: boolean
}

/** Columns, partition keys, location and properties of an Athena CREATE EXTERNAL TABLE. */
export function parseAthenaDdl(ddl: string) {
  const lines = ddl.split('\n')
  const header = lines[0]!.match(/^CREATE EXTERNAL TABLE IF NOT EXISTS `([^`]+)`\.`([^`]+)` \($/)
  if (!header) throw new Error(`unexpected Athena header: ${lines[0]}`)
  const close = lines.indexOf(')')
  const columns = lines.slice(1, close).map((line) => {
    const m = line.match(/^ {2}`([^`]+)` (\S+) COMMENT '((?:[^'\\]|\\.)*)',?$/)
    if (!m) throw new Error(`unexpected Athena column line: ${line}`)
    return { name: m[1]!, type: m[2]!, comment: m[3]!.replace(/\\(.)/g, '$1') }
  })
  const partition = ddl.match(/^PARTITIONED BY \(`([^`]+)` (\S+) COMMENT /m)
  const location = ddl.match(/^LOCATION '([^']+)'$/m)?.[1]
  const props = ddl.slice(ddl.indexOf('TBLPROPERTIES ('))
  const properties = Object.fromEntries(
    [...props.matchAll(/^ {2}'([^']+)' = '([^']*)',?$/gm)].map((m) => [m[1]!, m[2]!]),
  )
  return {
    database: header[1]!,
    table: header[2]!,
    columns,
    partitionKeys: partition ? [{ name: partition[1]!, type: partition[2]! }] : [],
    storedAsParquet: /^STORED AS PARQUET$/m.test(ddl),
    location,
    properties,
  }
}

/** Columns of a DuckDB CREATE TABLE, or of a CREATE VIEW made of `CAST(x AS T) AS x` lines. */
export function parseDuckDbDdl(ddl: string): ParsedColumn[] {
  if (ddl.startsWith('CREATE TABLE')) {
    return ddl
      .split('\n')
      .slice(1, -1)
      .map((line) => {
        const m = line.match(/^ {2}"([^"]+)" (\S+?)( NOT NULL)?,?$/)
        if (!m) throw new Error(`unexpected DuckDB column line: ${line}`)
        return { name: m[1]!, type: m[2]!, nullable: !m[3] }
      })
  }
  return [...ddl.matchAll(/^ {2}CAST\("([^"]+)" AS (\S+)\) AS "([^"]+)",?$/gm)].map((m) => {
    if (m[1] !== m[3]) throw new Error(`view renames ${m[1]} to ${m[3]}`)
    return { name: m[1]!, type: m[2]! }
  })
}

/** Top-level columns of a flattened Parquet schema, a LIST group reported as `LIST<leaf type>`. */
export function parseParquetSchema(schema: readonly SchemaElement[]) {
  const columns: { name: string; repetition: string | undefined; leaf: SchemaElement; list: boolean }[] = []
  let i = 1
  while (i < schema.length) {
    const element = schema[i]!
    if (element.num_children) {
      const repeated = schema[i + 1]!
      const leaf = schema[i + 2]!
      if (element.converted_type !== 'LIST' || repeated.repetition_type !== 'REPEATED' || leaf.num_children) {
        throw new Error(`column ${element.name} is a group but not a 3-level LIST`)
      }
      columns.push({ name: element.name, repetition: element.repetition_type, leaf, list: true })
      i += 3
    } else {
      columns.push({ name: element.name, repetition: element.repetition_type, leaf: element, list: false })
      i += 1
    }
  }
  if (columns.length !== schema[0]!.num_children)
    throw new Error('root num_children does not match the columns')
  return columns
}
