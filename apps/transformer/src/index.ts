/** @module spotify-lake-transformer: the TRANSFORM queue consumer (raw JSON -> Parquet, compaction, finalization). */
import { handleTransformBatch } from './run/queue.ts'

// Bodies stay `unknown` until TransformQueueMessageSchema has validated them, message by message.
export default {
  queue: (batch, env, _ctx) => handleTransformBatch(batch, env),
} satisfies ExportedHandler<Env>
