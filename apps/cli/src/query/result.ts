/** @module The engine-neutral query result both engines return and every output format prints. */

/** A cell as JSON can hold it: timestamps are ISO strings, 64-bit integers numbers when safe else strings. */
export type QueryValue = string | number | boolean | null | QueryValue[] | { [key: string]: QueryValue }

export interface QueryResult {
  /** Column names in select order (may repeat, as SQL allows). */
  columns: string[]
  /** One array per row, parallel to `columns`. */
  rows: QueryValue[][]
}
