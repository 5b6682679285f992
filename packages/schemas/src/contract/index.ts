/** @module `@spotify-lake/schemas/contract`: OpenAPI contract tooling for tests (Node only). */
export * from './generate.ts'
export * from './openapi.ts'
export * from './operations.ts'
export * from './refs.ts'
export * from './validate.ts'
