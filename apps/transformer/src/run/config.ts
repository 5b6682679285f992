/** @module The transformer's bindings and injectable dependencies: the types both queue consumers take. */
import type { LakeStore, LakeStoreEnv } from '@spotify-lake/lake-store'
import type { ParquetOptions } from '../load/parquet.ts'
import type { RunCoordinatorClient } from './coordinator.ts'

/**
 * The bindings the transformer reads (the generated `Env` satisfies it; tests may pass their own). The S3
 * settings become a store through `lakeStoreFromEnv`, which names what is missing.
 */
export interface TransformerEnv extends LakeStoreEnv {
  RUN_COORDINATOR: DurableObjectNamespace
  TRANSFORM: Queue
}

/** What tests and the bench inject instead of the bindings; unset: built from `TransformerEnv`. */
export interface ConsumerDeps extends ParquetOptions {
  store?: LakeStore
  coordinator?: (runId: string) => RunCoordinatorClient
}
