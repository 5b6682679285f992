/** @module The extract dead-letter queue: messages that exhausted their retries, recorded in their run's manifest. */
import { runStub } from '@spotify-lake/run-coordinator'
import { ExtractMessageSchema, unitKey } from '@spotify-lake/schemas'
import { log } from '../log.ts'
import { advanceAfterUnit } from '../run/queues.ts'

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const error = await recordDeadLetter(message, env).then(
      () => null,
      (e: unknown) => e,
    )
    if (error === null) {
      message.ack()
    } else {
      log.error('dlq.error', {
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      })
      message.retry({ delaySeconds: 60 })
    }
  }
}

async function recordDeadLetter(message: Message<unknown>, env: Env): Promise<void> {
  const parsed = ExtractMessageSchema.safeParse(message.body)
  if (!parsed.success) {
    log.error('dlq.invalid-message', { id: message.id, issue: parsed.error.issues[0]?.message })
    return
  }
  const { runId, dt, unit } = parsed.data
  const key = unitKey(unit)
  await runStub(env.RUN_COORDINATOR, runId).unitDeadLettered({
    key,
    error: 'retries exhausted: moved to the dead-letter queue',
  })
  log.error('extract.dead-lettered', { runId, unit: key })
  // The dead unit may have been the last one the run waited for.
  await advanceAfterUnit(env, { runId, dt, claimant: `dlq:${key}` })
}
