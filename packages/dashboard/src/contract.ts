/** @module The dashboard's HTTP contract, shared by the page, the CLI's server (DuckDB) and the Worker (Athena). */

/** A cell as JSON holds it: timestamps as ISO strings, dates as YYYY-MM-DD, 64-bit integers as numbers when exact. */
export type InsightValue = string | number | boolean | null | InsightValue[] | { [key: string]: InsightValue }

/** `GET /api/insights/:name` answers 200 with this. */
export interface InsightResponse {
  /** The insight's name: `sql/insights/<name>.sql`. */
  insight: string
  /** Column names in select order. */
  columns: string[]
  /** One object per row, keyed by column name. */
  rows: Record<string, InsightValue>[]
  /** Which state of the lake answered: the latest run's id (the Worker's cache key), or the local lake. */
  source: string
  /** When the engine ran the query (ISO 8601); a cached answer keeps its first time. */
  generatedAt: string
}

/** One insight of `GET /api/insights`. */
export interface InsightSummary {
  name: string
  /** The leading comment of its SQL file. */
  description: string
}

/** `GET /api/insights` answers 200 with this: the insights the engine can run. */
export interface InsightIndex {
  insights: InsightSummary[]
}

/** Any refusal: 401 (no session), 404 (no such insight), 502/503 (the engine failed). */
export interface ErrorResponse {
  error: string
  /** What the user can do about it. */
  action?: string
}

/** Insight names as `sql/insights/` files have them (the same rule as infra's named queries). */
export const INSIGHT_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/

export const INSIGHTS_PATH = '/api/insights/'
export const LOGIN_PATH = '/login'
export const LOGOUT_PATH = '/logout'
