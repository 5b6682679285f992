/** @module Public API of @spotify-lake/schemas: the single source of truth for every shape. */
export * from './lake/index.ts'
export * from './pipeline/index.ts'
export * from './sources/index.ts'
export * from './spotify/index.ts'
