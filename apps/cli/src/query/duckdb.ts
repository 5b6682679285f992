/** @module The local engine: an in-memory DuckDB with one view per lake table over the synced Parquet cache. */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValueConverter,
  JSDuckDBValueConverter,
} from '@duckdb/node-api'
import {
  catalogTables,
  type LakeTableShape,
  type LakeView,
  lakeKeys,
  lakeViews,
  toDuckDbDdl,
  toDuckDbViewDdl,
} from '@spotify-lake/schemas'
import type { QueryResult, QueryValue } from './result.ts'

/** DuckDB's own message (parser, binder, catalog): the user's SQL is wrong, not the tool. */
export class SqlError extends Error {
  override name = 'SqlError'
}

export interface LakeDb {
  /** Which tables have files (a view) and which are empty typed tables. */
  readonly tables: readonly { name: string; files: number }[]
  query(sql: string): Promise<QueryResult>
  close(): void
}

export interface OpenLakeDbOptions {
  /** Lake root on disk: holds `tables/<table>/dt=YYYY-MM-DD/*.parquet` (the sync cache). */
  root: string
  tables?: readonly LakeTableShape[]
  /** Views over the tables (which run's rows count), created after them in order. */
  views?: readonly LakeView[]
}

/** Parquet files under `<folder>/dt=*` (what the view's glob would match). */
async function countParquetFiles(folder: string): Promise<number> {
  let partitions: string[]
  try {
    partitions = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name.startsWith('dt='))
      .map((e) => e.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  let files = 0
  for (const partition of partitions) {
    const entries = await readdir(join(folder, partition), { withFileTypes: true })
    files += entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).length
  }
  return files
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)

/** bigint to number when exact, else its decimal string (JSON has no 64-bit integers). */
function fromBigInt(value: bigint): number | string {
  return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value.toString()
}

const DATE_ONLY = new Set<DuckDBTypeId>([DuckDBTypeId.DATE])

/**
 * DuckDB's JS converter, then JSON-friendly scalars. Nested values recurse through this converter,
 * so list elements and struct fields get the same treatment.
 */
const toQueryValue: DuckDBValueConverter<QueryValue> = (value, type, self) => {
  if (value === null) return null
  let js: unknown
  try {
    js = JSDuckDBValueConverter(value, type, self as unknown as Parameters<typeof JSDuckDBValueConverter>[2])
  } catch {
    // Out of JS Date range and the like: DuckDB's own text form is still exact.
    return String(value)
  }
  if (typeof js === 'bigint') return fromBigInt(js)
  if (js instanceof Date) return DATE_ONLY.has(type.typeId) ? js.toISOString().slice(0, 10) : js.toISOString()
  if (js instanceof Uint8Array) return Buffer.from(js).toString('hex')
  if (js !== null && typeof js === 'object' && !Array.isArray(js)) {
    return Object.fromEntries(
      Object.entries(js).map(([k, v]) => [k, typeof v === 'bigint' ? fromBigInt(v) : (v as QueryValue)]),
    )
  }
  return js as QueryValue
}

/**
 * Opens DuckDB in memory and declares every lake table under its Athena name: a view over the cached
 * files, or, for a table with no files yet, an empty table of the same columns (a glob that matches
 * nothing is an error in DuckDB, an empty table is not). Then the lake's views, as Athena has them.
 */
export async function openLakeDb({
  root,
  tables = catalogTables,
  views = lakeViews,
}: OpenLakeDbOptions): Promise<LakeDb> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const declared: { name: string; files: number }[] = []
  try {
    // Athena evaluates timestamps in UTC; so must date functions here.
    await connection.run("SET TimeZone = 'UTC'")
    for (const table of tables) {
      const source = join(root, lakeKeys.tablePrefix(table.name))
      const files = await countParquetFiles(source)
      await connection.run(toDuckDbDdl(table, files > 0 ? { source } : {}))
      declared.push({ name: table.name, files })
    }
    for (const view of views) await connection.run(toDuckDbViewDdl(view))
  } catch (error) {
    connection.closeSync()
    instance.closeSync()
    throw error
  }
  return {
    tables: declared,
    async query(sql) {
      let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>
      try {
        reader = await connection.runAndReadAll(sql)
      } catch (error) {
        throw new SqlError((error as Error).message, { cause: error })
      }
      return { columns: reader.columnNames(), rows: reader.convertRows(toQueryValue) }
    },
    close() {
      connection.closeSync()
      instance.closeSync()
    },
  }
}
