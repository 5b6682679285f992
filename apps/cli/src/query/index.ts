/** @module The query side of the lake: sync, the DuckDB and Athena engines, insights and output formats. */
export * from './athena.ts'
export * from './config.ts'
export * from './duckdb.ts'
export * from './format.ts'
export * from './insights.ts'
export * from './portable-sql.ts'
export * from './result.ts'
export * from './sync.ts'
