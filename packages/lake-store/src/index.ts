/** @module Public API of @spotify-lake/lake-store: S3 for the Workers and the CLI. */
export { isTransientStatus, S3Error } from './errors.ts'
export { type LakeStoreEnv, lakeStoreFromEnv } from './from-env.ts'
export { gunzip, gzip } from './gzip.ts'
export { createLakeStore } from './store.ts'
export type { AsyncBuffer, LakeStore, LakeStoreOptions, ObjectInfo } from './types.ts'
