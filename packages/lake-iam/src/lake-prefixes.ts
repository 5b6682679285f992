/** @module The lake bucket's top-level prefixes: what IAM grants and lifecycle rules are written against. */

/**
 * Top-level prefixes the Workers write (see `lakeKeys` in @spotify-lake/schemas). A test in infra proves
 * every key `lakeKeys` can produce falls under one of these, so grants and lifecycle rules cannot miss one.
 */
export const LAKE_PREFIXES = [
  'raw/',
  'staging/',
  'staging-rejected/',
  'tables/',
  'rejected/',
  'runs/',
  'state/',
  'dashboard-cache/',
] as const
export type LakePrefix = (typeof LAKE_PREFIXES)[number]
