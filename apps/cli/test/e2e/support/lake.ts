/** @module Reading back what a run wrote: object listings, and DuckDB over a synced copy of `tables/`. */
import { join } from 'node:path'
import type { LakeStore } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, lakeTables } from '@spotify-lake/schemas'
import { findInsight, type LakeDb, openLakeDb, type QueryValue, syncLake } from '../../../src/query/index.ts'

export async function listKeys(store: LakeStore, prefix: string): Promise<string[]> {
  return (await store.listKeys(prefix)).sort()
}

/** Mirrors `tables/` into `<dir>/cache` (the query module's sync) and opens DuckDB over it. */
export async function openLake({ store, dir }: { store: LakeStore; dir: string }): Promise<LakeDb> {
  const cacheDir = join(dir, 'cache')
  await syncLake({ store, source: `e2e/${store.bucket}`, cacheDir })
  return openLakeDb({ root: cacheDir })
}

/** Rows as objects keyed by column name. */
export async function queryObjects(db: LakeDb, sql: string): Promise<Record<string, QueryValue>[]> {
  const { columns, rows } = await db.query(sql)
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))
}

export async function scalar(db: LakeDb, sql: string): Promise<QueryValue> {
  const { rows } = await db.query(sql)
  return rows[0]?.[0] ?? null
}

/** Row count per table, optionally of one dt. */
export async function tableCounts(db: LakeDb, dt?: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const name of LAKE_TABLE_NAMES) {
    out[name] = Number(await scalar(db, `SELECT count(*) FROM ${name}${dt ? ` WHERE dt = '${dt}'` : ''}`))
  }
  return out
}

/** Per table: rows whose (primary key, dt, run) occurs more than once; all zero when nothing is duplicated. */
export async function duplicateKeys(db: LakeDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of lakeTables) {
    const key = [...table.primaryKey, 'dt', '"_run_id"'].join(', ')
    out[table.name] = Number(
      await scalar(
        db,
        `SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${table.name} GROUP BY ${key})`,
      ),
    )
  }
  return out
}

export async function runInsight(db: LakeDb, name: string): Promise<Record<string, QueryValue>[]> {
  const insight = await findInsight({ name })
  if (!insight) throw new Error(`no insight ${name} in sql/insights/`)
  return queryObjects(db, insight.sql)
}

/**
 * Per table: rows of dt `a` missing from dt `b` plus rows of `b` missing from `a`, comparing every
 * column but the lineage ones (multisets, so a duplicated row counts). All zero: the same data.
 */
export async function rowDifferences(db: LakeDb, a: string, b: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of lakeTables) {
    const cols = table.columns
      .map((c) => c.name)
      .filter((c) => !c.startsWith('_'))
      .join(', ')
    const side = (dt: string) => `SELECT ${cols} FROM ${table.name} WHERE dt = '${dt}'`
    out[table.name] = Number(
      await scalar(
        db,
        `SELECT (SELECT count(*) FROM (${side(a)} EXCEPT ALL ${side(b)})) + (SELECT count(*) FROM (${side(b)} EXCEPT ALL ${side(a)}))`,
      ),
    )
  }
  return out
}
